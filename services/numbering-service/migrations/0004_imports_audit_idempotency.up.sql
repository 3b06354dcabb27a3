-- Operator files already imported, the hash-chained audit trail, and the idempotency keys of
-- state-changing requests. None is tenant-owned (no tenant reads them directly), so none has row-level
-- security; tenant transactions append to the audit chain and record their idempotency outcomes.

CREATE TABLE {{schema}}.import_ledger (
  id uuid PRIMARY KEY,
  operator_code text NOT NULL,
  -- Identity of the file: importing the same bytes twice is a no-op.
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  key_id text NOT NULL,
  row_count integer NOT NULL CHECK (row_count >= 0),
  msisdn_count integer NOT NULL CHECK (msisdn_count >= 0),
  short_code_count integer NOT NULL CHECK (short_code_count >= 0),
  imported_at timestamptz NOT NULL,
  imported_by text NOT NULL,
  CONSTRAINT import_ledger_file_key UNIQUE (file_sha256)
);

-- One chain: row n carries the hash of row n-1 (prev_hash) and its own hash, SHA-256 over prev_hash and
-- the RFC 8785 canonical JSON of the row. Every hashed field is stored exactly as hashed (occurred_at as
-- the ISO string). Rows are never updated or deleted (the trigger below refuses it).
CREATE TABLE {{schema}}.audit_log (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  id uuid NOT NULL,
  occurred_at text NOT NULL,
  actor_role text NOT NULL,
  actor_id text NOT NULL,
  actor_tenant_id text NULL,
  action text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  aggregate_version integer NULL,
  tenant_id text NULL,
  from_state text NULL,
  to_state text NULL,
  idempotency_key text NULL,
  details jsonb NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT audit_log_id_key UNIQUE (id)
);
CREATE INDEX audit_log_aggregate_idx ON {{schema}}.audit_log (aggregate_type, aggregate_id, seq);

-- The chain head: one row, locked (SELECT … FOR UPDATE) by every append until its transaction ends, so
-- appends are serialised and the chain never forks. seq 0 = empty chain.
CREATE TABLE {{schema}}.audit_head (
  id smallint PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
INSERT INTO {{schema}}.audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

CREATE FUNCTION {{schema}}.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON {{schema}}.audit_log
  FOR EACH ROW EXECUTE FUNCTION {{schema}}.audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON {{schema}}.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.audit_log_append_only();

CREATE TABLE {{schema}}.idempotency_keys (
  -- `<command>:<principal>`: keys of different callers never collide.
  scope text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  claimed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- NULL while the first call runs; then the Result it answered.
  outcome jsonb NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires_idx ON {{schema}}.idempotency_keys (expires_at);
