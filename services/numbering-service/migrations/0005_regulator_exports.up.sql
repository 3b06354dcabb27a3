-- The monthly regulator (ATRA) export ledger: one row per reporting month, with the status of its export
-- and what it wrote (docs/regulator-export.md). The export files themselves live in the object store under
-- write-once retention; this row is how operators and the scheduled job see whether a month is done.
-- Not tenant-owned (no row-level security): only staff and the system role reach it.
CREATE TABLE {{schema}}.regulator_exports (
  month text PRIMARY KEY CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  attempts integer NOT NULL CHECK (attempts >= 1),
  started_at timestamptz NOT NULL,
  last_attempt_at timestamptz NOT NULL,
  completed_at timestamptz NULL,
  -- principal of the last attempt: `system:numbering-scheduler`, `compliance:<user>`
  requested_by text NOT NULL,
  -- fixed by the first attempt, so every object of the month carries the same retention
  retain_until timestamptz NOT NULL,
  manifest_key text NULL,
  manifest_sha256 text NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
  signature_key_id text NULL,
  -- [{ name, key, contentType, rows, bytes, sha256 }] of the data files the manifest names
  files jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- [{ key, sha256 }] of objects an interrupted run left that the export does not use
  superseded jsonb NOT NULL DEFAULT '[]'::jsonb,
  last_error text NULL,
  CONSTRAINT regulator_exports_completed_check CHECK (
    (status = 'completed') = (completed_at IS NOT NULL AND manifest_key IS NOT NULL AND manifest_sha256 IS NOT NULL AND signature_key_id IS NOT NULL)
  )
);

-- The export reads the audit trail of one month: numbers' changes by time (ISO strings, compared byte-wise).
CREATE INDEX audit_log_number_occurred_idx ON {{schema}}.audit_log ((occurred_at COLLATE "C")) WHERE aggregate_type = 'number';
