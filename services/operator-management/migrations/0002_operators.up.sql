-- Operators (MNOs and aggregator links), their SMPP connections and number prefixes.
-- Platform data, not tenant data: no tenant_id and no row-level security (ARCHITECTURE.md's RLS rule
-- covers tenant-owned tables). Requests and jobs still run as the non-owner roles.
-- NO password column anywhere: bind passwords live only in the secret store
-- (test/integration/no-password-columns.test.ts checks information_schema).

CREATE TABLE {{schema}}.operators (
  id uuid PRIMARY KEY,
  code text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9-]{1,31}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind text NOT NULL CHECK (kind IN ('mno', 'aggregator')),
  mcc text NULL CHECK (mcc ~ '^[0-9]{3}$'),
  mnc text NULL CHECK (mnc ~ '^[0-9]{2,3}$'),
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'deleted')),
  version integer NOT NULL CHECK (version >= 1),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz NULL,
  CONSTRAINT operators_mcc_mnc_together CHECK ((mcc IS NULL) = (mnc IS NULL)),
  CONSTRAINT operators_deleted_at_with_status CHECK ((status = 'deleted') = (deleted_at IS NOT NULL))
);

-- Uniqueness among live operators only: a deleted operator keeps its row (history) and frees its
-- code and MCC/MNC. These indexes are what makes two concurrent creates of one code end with one
-- winner; the repository maps their names to the `field` of OPS.OPERATOR_DUPLICATE.
CREATE UNIQUE INDEX operators_live_code_key ON {{schema}}.operators (code) WHERE status <> 'deleted';
CREATE UNIQUE INDEX operators_live_mcc_mnc_key ON {{schema}}.operators (mcc, mnc) WHERE status <> 'deleted' AND mcc IS NOT NULL;
CREATE INDEX operators_status_id_idx ON {{schema}}.operators (status, id);

CREATE TABLE {{schema}}.operator_prefixes (
  operator_id uuid NOT NULL REFERENCES {{schema}}.operators (id) ON DELETE CASCADE,
  prefix text NOT NULL CHECK (prefix ~ '^[1-9][0-9]{0,14}$'),
  PRIMARY KEY (operator_id, prefix)
);
CREATE INDEX operator_prefixes_prefix_idx ON {{schema}}.operator_prefixes (prefix);

-- A removed connection keeps its row (removed_at set): its id appears in history and in the secret
-- store path, and ids are never reused.
CREATE TABLE {{schema}}.operator_connections (
  id uuid PRIMARY KEY,
  operator_id uuid NOT NULL REFERENCES {{schema}}.operators (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
  port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  system_id text NOT NULL CHECK (length(system_id) BETWEEN 1 AND 15),
  system_type text NOT NULL CHECK (length(system_type) <= 12),
  bind_mode text NOT NULL CHECK (bind_mode IN ('transceiver', 'transmitter', 'receiver')),
  tls boolean NOT NULL,
  window_size integer NOT NULL CHECK (window_size BETWEEN 1 AND 1000),
  throughput_limit integer NOT NULL CHECK (throughput_limit BETWEEN 1 AND 10000),
  -- That a bind password exists in the secret store, its KV version and when it was set. Never the value.
  auth_version integer NULL CHECK (auth_version >= 1),
  auth_changed_at timestamptz NULL,
  created_at timestamptz NOT NULL,
  removed_at timestamptz NULL,
  CONSTRAINT operator_connections_auth_together CHECK ((auth_version IS NULL) = (auth_changed_at IS NULL))
);
CREATE UNIQUE INDEX operator_connections_live_bind_key
  ON {{schema}}.operator_connections (operator_id, host, port, system_id) WHERE removed_at IS NULL;
CREATE INDEX operator_connections_operator_idx ON {{schema}}.operator_connections (operator_id, position);
