import type { ColumnType } from 'kysely';

/** Timestamps are written as ISO strings and read back as `Date` (pg's timestamptz parser). */
type Timestamp = ColumnType<Date, string, string>;
/** jsonb columns are written as JSON text (pg would turn a JS array into a PostgreSQL array) and read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface LevelsTable {
  name: string;
  parents: string[];
  owns_tenant: boolean;
  description: string;
  position: number;
}

export interface ConfigNodesTable {
  id: string;
  level: string;
  name: string;
  parent_id: string | null;
  path: string;
  tenant_id: string | null;
  is_tenant_root: boolean;
  overrides: Json<Record<string, unknown>>;
  locks: string[];
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: ColumnType<Date | null, string | null | undefined, string | null>;
}

export interface NodeVersionsTable {
  node_id: string;
  version: number;
  tenant_id: string | null;
  change: string;
  author: string;
  reason: string;
  at: Timestamp;
  diff: Json<unknown[]>;
  state: Json<Record<string, unknown>>;
  rolled_back_to: number | null;
}

export interface KeyDefinitionsTable {
  key: string;
  schema: Json<Record<string, unknown>>;
  description: string;
  sensitive: boolean;
  owner_service: string | null;
  deprecated: boolean;
  version: number;
  defined_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleDefinitionsTable {
  name: string;
  description: string;
  system: boolean;
  tenant_assignable: boolean;
  grants: Json<unknown[]>;
  version: number;
  updated_at: Timestamp;
}

export interface RoleAssignmentsTable {
  id: string;
  subject_id: string;
  role: string;
  tenant_id: string | null;
  assigned_by: string;
  assigned_at: Timestamp;
}

/** The tables of the config schema as Kysely sees them (queries use `withSchema(schema)`). */
export interface ConfigDatabase {
  levels: LevelsTable;
  config_nodes: ConfigNodesTable;
  node_versions: NodeVersionsTable;
  key_definitions: KeyDefinitionsTable;
  role_definitions: RoleDefinitionsTable;
  role_assignments: RoleAssignmentsTable;
}
