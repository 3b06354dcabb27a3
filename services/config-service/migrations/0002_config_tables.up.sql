-- The configuration tree, its history, the key catalogue, roles and role assignments
-- (docs/data-model.md). Row-level security on every table, FORCEd so the owner is filtered too:
--   * tenant-owned rows (tenant_id = the tenant of the transaction, `SET LOCAL app.tenant_id`)
--     are read and written only inside that tenant's transactions;
--   * tenant-less rows (GLOBAL, operators, regions; the key catalogue; roles; levels) are readable
--     by every transaction but written only by {{system_role}} (platform-wide work);
--   * {{system_role}} gets explicit policies; there is no bypass setting a request could flip.
-- Requests run as {{app_role}} (tenant-bound subjects) or {{system_role}} (subjects without a tenant).

CREATE TABLE {{schema}}.levels (
  name text PRIMARY KEY CHECK (char_length(name) BETWEEN 1 AND 32),
  parents text[] NOT NULL,
  owns_tenant boolean NOT NULL,
  description text NOT NULL,
  position integer NOT NULL UNIQUE
);

CREATE TABLE {{schema}}.config_nodes (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
  level text NOT NULL REFERENCES {{schema}}.levels (name),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 63),
  parent_id text NULL REFERENCES {{schema}}.config_nodes (id),
  -- Materialised path, compared byte-wise (C collation) so a subtree is one index range:
  -- path > '<p>/' AND path < '<p>0' ('0' is the character after '/').
  path text COLLATE "C" NOT NULL CHECK (char_length(path) <= 1024 AND path LIKE '/GLOBAL%'),
  tenant_id text NULL CHECK (tenant_id <> ''),
  is_tenant_root boolean NOT NULL,
  overrides jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(overrides) = 'object'),
  locks text[] NOT NULL DEFAULT '{}'::text[],
  version integer NOT NULL CHECK (version >= 1),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Deleted nodes stay (their history refers to them) but are invisible to the application.
  deleted_at timestamptz NULL,
  CONSTRAINT config_nodes_tenant_root_has_tenant CHECK (NOT is_tenant_root OR tenant_id IS NOT NULL),
  CONSTRAINT config_nodes_only_global_is_parentless CHECK ((parent_id IS NULL) = (path = '/GLOBAL'))
);
CREATE UNIQUE INDEX config_nodes_live_path_key ON {{schema}}.config_nodes (path) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX config_nodes_live_tenant_root_key ON {{schema}}.config_nodes (tenant_id)
  WHERE is_tenant_root AND deleted_at IS NULL;
CREATE INDEX config_nodes_parent_idx ON {{schema}}.config_nodes (parent_id);
CREATE INDEX config_nodes_overrides_idx ON {{schema}}.config_nodes USING gin (overrides) WHERE deleted_at IS NULL;

CREATE TABLE {{schema}}.node_versions (
  node_id text NOT NULL REFERENCES {{schema}}.config_nodes (id),
  version integer NOT NULL CHECK (version >= 1),
  -- The node's tenant when the version was written (null above tenants); drives row-level security.
  tenant_id text NULL CHECK (tenant_id <> ''),
  change text NOT NULL CHECK (change IN ('node.created', 'node.moved', 'node.deleted', 'value.set', 'value.cleared',
                                         'lock.set', 'lock.removed', 'node.rolled-back')),
  author text NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL,
  diff jsonb NOT NULL,
  state jsonb NOT NULL,
  rolled_back_to integer NULL,
  PRIMARY KEY (node_id, version)
);

CREATE TABLE {{schema}}.key_definitions (
  key text PRIMARY KEY CHECK (char_length(key) <= 128),
  schema jsonb NOT NULL,
  description text NOT NULL,
  sensitive boolean NOT NULL,
  owner_service text NULL,
  deprecated boolean NOT NULL DEFAULT false,
  version integer NOT NULL CHECK (version >= 1),
  defined_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE {{schema}}.role_definitions (
  name text PRIMARY KEY,
  description text NOT NULL,
  system boolean NOT NULL,
  tenant_assignable boolean NOT NULL,
  grants jsonb NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  updated_at timestamptz NOT NULL
);

CREATE TABLE {{schema}}.role_assignments (
  id text PRIMARY KEY,
  subject_id text NOT NULL,
  role text NOT NULL,
  tenant_id text NULL CHECK (tenant_id <> ''),
  assigned_by text NOT NULL,
  assigned_at timestamptz NOT NULL,
  CONSTRAINT role_assignments_subject_role_tenant_key UNIQUE NULLS NOT DISTINCT (subject_id, role, tenant_id)
);
CREATE INDEX role_assignments_tenant_idx ON {{schema}}.role_assignments (tenant_id);

-- Row-level security ---------------------------------------------------------------------------

ALTER TABLE {{schema}}.levels ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.levels FORCE ROW LEVEL SECURITY;
-- Levels change only by migration: readable by all, no write policy for anyone.
CREATE POLICY levels_read ON {{schema}}.levels FOR SELECT USING (true);

ALTER TABLE {{schema}}.config_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.config_nodes FORCE ROW LEVEL SECURITY;
-- A tenant reads its own nodes and the tenant-less nodes above (resolution walks up to GLOBAL).
CREATE POLICY config_nodes_read ON {{schema}}.config_nodes FOR SELECT
  USING (tenant_id IS NULL OR tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
-- A tenant writes only its own nodes; tenant-less nodes are not writable inside a tenant.
CREATE POLICY config_nodes_tenant_insert ON {{schema}}.config_nodes FOR INSERT
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY config_nodes_tenant_update ON {{schema}}.config_nodes FOR UPDATE
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY config_nodes_tenant_delete ON {{schema}}.config_nodes FOR DELETE
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY config_nodes_system_access ON {{schema}}.config_nodes TO {{system_role}}
  USING (true) WITH CHECK (true);

ALTER TABLE {{schema}}.node_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.node_versions FORCE ROW LEVEL SECURITY;
-- History is append-only: there is no UPDATE or DELETE policy for any role. A tenant reads and
-- appends only its own nodes' history (it never needs the history of the nodes above it).
CREATE POLICY node_versions_tenant_read ON {{schema}}.node_versions FOR SELECT
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY node_versions_tenant_append ON {{schema}}.node_versions FOR INSERT
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY node_versions_system_read ON {{schema}}.node_versions FOR SELECT TO {{system_role}} USING (true);
CREATE POLICY node_versions_system_append ON {{schema}}.node_versions FOR INSERT TO {{system_role}} WITH CHECK (true);

ALTER TABLE {{schema}}.key_definitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.key_definitions FORCE ROW LEVEL SECURITY;
-- The catalogue is platform-wide: everyone reads it, only platform-wide work defines or updates
-- keys; keys are deprecated, never deleted.
CREATE POLICY key_definitions_read ON {{schema}}.key_definitions FOR SELECT USING (true);
CREATE POLICY key_definitions_system_insert ON {{schema}}.key_definitions FOR INSERT TO {{system_role}} WITH CHECK (true);
CREATE POLICY key_definitions_system_update ON {{schema}}.key_definitions FOR UPDATE TO {{system_role}}
  USING (true) WITH CHECK (true);

ALTER TABLE {{schema}}.role_definitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.role_definitions FORCE ROW LEVEL SECURITY;
-- Roles are platform-wide. Custom roles are written by platform-wide work; system roles by no
-- one but a migration (no policy lets a row with system = true be written).
CREATE POLICY role_definitions_read ON {{schema}}.role_definitions FOR SELECT USING (true);
CREATE POLICY role_definitions_system_insert ON {{schema}}.role_definitions FOR INSERT TO {{system_role}}
  WITH CHECK (NOT system);
CREATE POLICY role_definitions_system_update ON {{schema}}.role_definitions FOR UPDATE TO {{system_role}}
  USING (NOT system) WITH CHECK (NOT system);
CREATE POLICY role_definitions_system_delete ON {{schema}}.role_definitions FOR DELETE TO {{system_role}}
  USING (NOT system);

ALTER TABLE {{schema}}.role_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.role_assignments FORCE ROW LEVEL SECURITY;
-- An assignment bound to a tenant belongs to it; platform-wide assignments (tenant_id null) are
-- visible and writable only to platform-wide work.
CREATE POLICY role_assignments_tenant_isolation ON {{schema}}.role_assignments
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY role_assignments_system_access ON {{schema}}.role_assignments TO {{system_role}}
  USING (true) WITH CHECK (true);
