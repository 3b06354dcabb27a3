-- Deliveries of tenant status callbacks: one row per `sms.message.status-changed.v1` event of a
-- message with a callback URL (the event id is the key, so a redelivered event adds nothing).
CREATE TABLE {{schema}}.callback_deliveries (
  event_id uuid PRIMARY KEY,
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  message_id uuid NOT NULL,
  callback_url text NOT NULL,
  -- The exact JSON body posted (signed as `<timestamp>.<body>`).
  body text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_status_code integer NULL,
  last_error text NULL,
  -- When the sweeper may try again; NULL once delivered or failed.
  next_attempt_at timestamptz NULL,
  delivered_at timestamptz NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL)),
  CHECK ((state = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX callback_deliveries_due_idx ON {{schema}}.callback_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX callback_deliveries_message_idx ON {{schema}}.callback_deliveries (tenant_id, message_id);

ALTER TABLE {{schema}}.callback_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.callback_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY callback_deliveries_tenant_isolation ON {{schema}}.callback_deliveries
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY callback_deliveries_system_access ON {{schema}}.callback_deliveries
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);
