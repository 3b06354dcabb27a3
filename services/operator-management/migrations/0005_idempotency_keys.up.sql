-- Idempotency keys of the write API (POST/PUT/PATCH/DELETE with an `Idempotency-Key` header), per
-- caller (`user:<subject>` or `service:<name>`), recorded by @sms/http's enableIdempotencyKeys.
-- A record is live for 48 h from `created_at` (its claim); the purge job deletes older ones.
-- Not tenant-owned: forced row-level security with a policy for {{system_role}} only, the role the
-- service reaches it as.
CREATE TABLE {{schema}}.idempotency_keys (
  caller text NOT NULL CHECK (caller <> ''),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  -- SHA-256 (hex) of method, path with query, body and If-Match: same key, other request → 422.
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  -- Proves which request owns a claim; checked when recording and releasing.
  claim_token uuid NOT NULL,
  -- The answer to replay, once the request answered (below 500); NULL while in progress.
  status_code smallint NULL CHECK (status_code BETWEEN 100 AND 499),
  response_headers jsonb NULL,
  response_body text NULL,
  created_at timestamptz NOT NULL,
  completed_at timestamptz NULL,
  PRIMARY KEY (caller, key),
  CHECK ((completed_at IS NULL) = (status_code IS NULL) AND (status_code IS NULL) = (response_body IS NULL))
);
CREATE INDEX idempotency_keys_created_at_idx ON {{schema}}.idempotency_keys (created_at);

ALTER TABLE {{schema}}.idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_system_access ON {{schema}}.idempotency_keys
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);
