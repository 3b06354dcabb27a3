-- Region ownership of number ranges (docs/adr/0004-multi-region-numbering-cas.md): a number's state may be
-- changed only by the region that owns its block. A service started with NUMBERING_REGION checks this row
-- inside the compare-and-swap transaction, under a shared advisory lock per block that an ownership transfer
-- takes exclusively, so no change commits on the strength of a stale owner. `epoch` counts transfers.
-- Not tenant-owned: every role reads it (the fence runs in tenants' transactions too), only the system role
-- (operations, through the range-ownership adapter) writes it.
CREATE TABLE {{schema}}.range_ownership (
  block_id uuid PRIMARY KEY REFERENCES {{schema}}.number_blocks (id),
  region text NOT NULL CHECK (region ~ '^[a-z][a-z0-9-]{1,31}$'),
  epoch bigint NOT NULL CHECK (epoch >= 1),
  updated_at timestamptz NOT NULL
);

ALTER TABLE {{schema}}.range_ownership ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.range_ownership FORCE ROW LEVEL SECURITY;
CREATE POLICY range_ownership_read ON {{schema}}.range_ownership FOR SELECT USING (true);
CREATE POLICY range_ownership_system_write ON {{schema}}.range_ownership TO {{system_role}} USING (true) WITH CHECK (true);
