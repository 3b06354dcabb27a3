-- Idempotency keys of the submit API (POST /v1/sms/send and /v1/sms/bulk), per tenant, under
-- row-level security. The durable source of truth; Redis (orch:submit-idem:*) is only a fast path.
-- A record is live for 48 h from `created_at` (its claim); the purge job deletes older ones.
CREATE TABLE {{schema}}.idempotency_keys (
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  -- SHA-256 (hex) of the canonical request and its endpoint: same key, other request → 422.
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  -- Proves which request owns a claim; checked when recording and releasing.
  claim_token uuid NOT NULL,
  -- The answer to replay, once the request's effect committed; NULL while in progress.
  response jsonb NULL,
  created_at timestamptz NOT NULL,
  completed_at timestamptz NULL,
  PRIMARY KEY (tenant_id, key),
  CHECK ((response IS NULL) = (completed_at IS NULL))
);
CREATE INDEX idempotency_keys_created_at_idx ON {{schema}}.idempotency_keys (created_at);

ALTER TABLE {{schema}}.idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_tenant_isolation ON {{schema}}.idempotency_keys
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY idempotency_keys_system_access ON {{schema}}.idempotency_keys
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);
