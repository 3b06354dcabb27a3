-- The inventory of numbers and the tenant-owned records of who holds them.
--
-- `numbers.lifecycle` holds the state and the data of that state (the domain's NumberLifecycle, instants
-- as ISO strings); `version` is the compare-and-swap token. `reservations` and `leases` are written in the
-- same transaction as every change of `numbers` (the Postgres number repository keeps them in step); they
-- carry the tenant, so row-level security isolates them, and their partial unique indexes make a double
-- reservation or a double lease of one number impossible even if the application were wrong.
--
-- There are no foreign keys from numbers to the catalog: the use cases check the catalog before they add
-- numbers, and the repository's contract suite stores numbers without a catalog.

CREATE TABLE {{schema}}.numbers (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('msisdn', 'short_code')),
  value text COLLATE "C" NOT NULL,
  operator_code text NOT NULL CHECK (operator_code ~ '^[A-Z][A-Z0-9_-]{1,31}$'),
  contract_id uuid NOT NULL,
  block_id uuid NOT NULL,
  pool_id uuid NOT NULL,
  tier text NOT NULL CHECK (tier IN ('standard', 'silver', 'gold', 'platinum')),
  state text NOT NULL CHECK (state IN ('available', 'reserved', 'assigned', 'quarantined', 'recalled', 'retired')),
  -- The tenant holding the number through a reservation or a lease; row-level security keys on it.
  holder_tenant_id text NULL CHECK (holder_tenant_id <> ''),
  lifecycle jsonb NOT NULL,
  -- The deadline of the current state: reservation TTL, lease end, quarantine end (the scheduled jobs' index).
  deadline_at timestamptz NULL,
  version integer NOT NULL CHECK (version >= 1),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT numbers_value_key UNIQUE (value),
  CONSTRAINT numbers_value_format CHECK (
    (kind = 'msisdn' AND value ~ '^\+[1-9][0-9]{7,14}$') OR (kind = 'short_code' AND value ~ '^[1-9][0-9]{2,5}$')
  ),
  CONSTRAINT numbers_msisdn_standard CHECK (kind = 'short_code' OR tier = 'standard'),
  CONSTRAINT numbers_holder_matches_state CHECK ((holder_tenant_id IS NOT NULL) = (state IN ('reserved', 'assigned'))),
  CONSTRAINT numbers_lifecycle_matches_state CHECK (lifecycle ->> 'state' = state)
);
CREATE INDEX numbers_holder_idx ON {{schema}}.numbers (holder_tenant_id, value) WHERE holder_tenant_id IS NOT NULL;
CREATE INDEX numbers_deadline_idx ON {{schema}}.numbers (state, deadline_at) WHERE deadline_at IS NOT NULL;

CREATE TABLE {{schema}}.reservations (
  id uuid PRIMARY KEY,
  number_id uuid NOT NULL REFERENCES {{schema}}.numbers (id),
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  tenant_pool_id uuid NOT NULL,
  reserved_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- active: holds the number; assigned: became a lease; cancelled/expired/recalled: ended so.
  status text NOT NULL CHECK (status IN ('active', 'assigned', 'cancelled', 'expired', 'recalled', 'ended')),
  ended_at timestamptz NULL,
  CONSTRAINT reservations_ttl_check CHECK (expires_at > reserved_at),
  CONSTRAINT reservations_ended_check CHECK ((status = 'active') = (ended_at IS NULL))
);
-- At most one live reservation per number.
CREATE UNIQUE INDEX reservations_one_active_per_number ON {{schema}}.reservations (number_id) WHERE status = 'active';
CREATE INDEX reservations_tenant_idx ON {{schema}}.reservations (tenant_id, status);

CREATE TABLE {{schema}}.leases (
  id uuid PRIMARY KEY,
  number_id uuid NOT NULL REFERENCES {{schema}}.numbers (id),
  reservation_id uuid NOT NULL REFERENCES {{schema}}.reservations (id),
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  tenant_pool_id uuid NOT NULL,
  uses text[] NOT NULL CHECK (
    cardinality(uses) > 0 AND uses <@ ARRAY['transactional', 'promotional', 'otp', 'alert']::text[]
  ),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  auto_renew boolean NOT NULL,
  -- active: the tenant may send; recalled: suspended pending a compliance decision (may be reinstated); ended.
  status text NOT NULL CHECK (status IN ('active', 'recalled', 'ended')),
  ended_at timestamptz NULL,
  CONSTRAINT leases_term_check CHECK (ends_at > starts_at),
  CONSTRAINT leases_ended_check CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
-- At most one lease per number that is live or may come back (recalled): no double assignment.
CREATE UNIQUE INDEX leases_one_live_per_number ON {{schema}}.leases (number_id) WHERE status IN ('active', 'recalled');
CREATE UNIQUE INDEX leases_reservation_key ON {{schema}}.leases (reservation_id);
CREATE INDEX leases_tenant_idx ON {{schema}}.leases (tenant_id, status);

-- numbers: the inventory is readable by every request (a tenant must see that a number is available to
-- reserve it, and Lookup tells any tenant available/unavailable); a tenant's transaction may change only a
-- number that is free or its own, and may leave it only free or its own. It can neither add nor delete
-- numbers. The system role (staff, jobs, consumers, the gRPC service path) may do everything.
ALTER TABLE {{schema}}.numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.numbers FORCE ROW LEVEL SECURITY;
CREATE POLICY numbers_read ON {{schema}}.numbers FOR SELECT USING (true);
CREATE POLICY numbers_tenant_update ON {{schema}}.numbers FOR UPDATE TO {{app_role}}
  USING (
    NULLIF(current_setting('app.tenant_id', true), '') IS NOT NULL
    AND (holder_tenant_id IS NULL OR holder_tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
  )
  WITH CHECK (
    NULLIF(current_setting('app.tenant_id', true), '') IS NOT NULL
    AND (holder_tenant_id IS NULL OR holder_tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
  );
CREATE POLICY numbers_system_access ON {{schema}}.numbers TO {{system_role}} USING (true) WITH CHECK (true);

ALTER TABLE {{schema}}."reservations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}."reservations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "reservations_tenant_isolation" ON {{schema}}."reservations"
  USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY "reservations_system_access" ON {{schema}}."reservations"
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);

ALTER TABLE {{schema}}."leases" ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}."leases" FORCE ROW LEVEL SECURITY;
CREATE POLICY "leases_tenant_isolation" ON {{schema}}."leases"
  USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY "leases_system_access" ON {{schema}}."leases"
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);
