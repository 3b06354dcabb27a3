-- The catalog: operator contracts, number blocks, inventory pools (shared inventory, no tenant) and
-- tenant pools (tenant-owned: row-level security).

CREATE TABLE {{schema}}.operator_contracts (
  id uuid PRIMARY KEY,
  operator_code text NOT NULL CHECK (operator_code ~ '^[A-Z][A-Z0-9_-]{1,31}$'),
  reference text NOT NULL CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT operator_contracts_reference_key UNIQUE (operator_code, reference),
  CONSTRAINT operator_contracts_term_check CHECK (ends_at IS NULL OR ends_at > starts_at)
);

CREATE TABLE {{schema}}.number_blocks (
  id uuid PRIMARY KEY,
  contract_id uuid NOT NULL REFERENCES {{schema}}.operator_contracts (id),
  operator_code text NOT NULL,
  reference text NOT NULL CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  kind text NOT NULL CHECK (kind IN ('msisdn', 'short_code')),
  -- Canonical values (`+93…` or short-code digits); ranges compare on their digits, same length.
  range_start text COLLATE "C" NOT NULL,
  range_end text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT number_blocks_reference_key UNIQUE (operator_code, reference),
  CONSTRAINT number_blocks_range_check CHECK (
    length(ltrim(range_start, '+')) = length(ltrim(range_end, '+')) AND ltrim(range_start, '+') <= ltrim(range_end, '+')
  )
);
CREATE INDEX number_blocks_contract_idx ON {{schema}}.number_blocks (contract_id);
CREATE INDEX number_blocks_range_idx ON {{schema}}.number_blocks (kind, length(ltrim(range_start, '+')), (ltrim(range_start, '+')));

CREATE TABLE {{schema}}.inventory_pools (
  id uuid PRIMARY KEY,
  reference text NOT NULL CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name text NOT NULL CHECK (name <> ''),
  kind text NULL CHECK (kind IN ('msisdn', 'short_code')),
  segments text[] NOT NULL DEFAULT '{}' CHECK (segments <@ ARRAY['enterprise', 'smb', 'government']::text[]),
  created_at timestamptz NOT NULL,
  CONSTRAINT inventory_pools_reference_key UNIQUE (reference)
);

CREATE TABLE {{schema}}.tenant_pools (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  name text NOT NULL CHECK (name <> ''),
  segment text NOT NULL CHECK (segment IN ('enterprise', 'smb', 'government')),
  allowed_tiers text[] NOT NULL CHECK (
    cardinality(allowed_tiers) > 0 AND allowed_tiers <@ ARRAY['standard', 'silver', 'gold', 'platinum']::text[]
  ),
  created_at timestamptz NOT NULL,
  CONSTRAINT tenant_pools_name_key UNIQUE (tenant_id, name)
);

ALTER TABLE {{schema}}."tenant_pools" ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}."tenant_pools" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_pools_tenant_isolation" ON {{schema}}."tenant_pools"
  USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY "tenant_pools_system_access" ON {{schema}}."tenant_pools"
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);
