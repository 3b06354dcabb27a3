-- The map from SMSC message ids to platform messages: one row per accepted submit_sm (part).
-- Tenant-owned (tenant_id + RLS); the gateway itself works through {{system_role}}.
CREATE TABLE {{schema}}.submitted_parts (
  message_id uuid NOT NULL,
  part_sequence smallint NOT NULL CHECK (part_sequence BETWEEN 1 AND 255),
  total_parts smallint NOT NULL CHECK (total_parts BETWEEN 1 AND 255),
  tenant_id text NOT NULL,
  operator_id text NOT NULL,
  connection_id text NOT NULL,
  smsc_message_id text NOT NULL,
  -- canonical form (lower case, no leading zeros): docs/domain-model.md, "SMSC message ids"
  smsc_message_id_key text NOT NULL,
  submitted_at timestamptz NOT NULL,
  receipt_status text NULL CHECK (receipt_status IN ('delivered', 'undelivered', 'expired', 'failed')),
  receipt_error_code text NULL,
  receipt_at timestamptz NULL,
  PRIMARY KEY (message_id, part_sequence),
  CHECK (part_sequence <= total_parts)
);
-- Not unique: an SMSC may reuse ids over time; the newest submission wins on lookup.
CREATE INDEX submitted_parts_smsc_id_idx ON {{schema}}.submitted_parts (connection_id, smsc_message_id_key, submitted_at DESC);
CREATE INDEX submitted_parts_submitted_at_idx ON {{schema}}.submitted_parts (submitted_at);

ALTER TABLE {{schema}}."submitted_parts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}."submitted_parts" FORCE ROW LEVEL SECURITY;
CREATE POLICY "submitted_parts_tenant_isolation" ON {{schema}}."submitted_parts"
  USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY "submitted_parts_system_access" ON {{schema}}."submitted_parts"
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);
