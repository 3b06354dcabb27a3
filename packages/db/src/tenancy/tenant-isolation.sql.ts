import { quoteIdentifier } from '../identifiers.js';
import { TENANT_SETTING } from './tenant-scope.js';

export interface TenantIsolationOptions {
  /** A schema name, or the migration placeholder `{{schema}}`. */
  readonly schema: string;
  readonly table: string;
  /** Default `tenant_id`. */
  readonly tenantColumn?: string;
  /** SQL type of the tenant column, for the cast of the setting. Default `text`. */
  readonly tenantColumnType?: 'text' | 'uuid';
  /** A role (or `{{system_role}}`) that may read and write every tenant's rows; omit for none. */
  readonly systemRole?: string;
}

const PLACEHOLDER_TOKEN = /^\{\{(schema|app_role|system_role)\}\}$/;

// A placeholder passes through untouched (the migrator quotes its value); anything else is quoted here.
const name = (value: string, what: string): string => (PLACEHOLDER_TOKEN.test(value) ? value : quoteIdentifier(value, what));

/**
 * The row-level security pattern of every tenant-owned table, as SQL for a migration:
 *
 * - `ENABLE` and `FORCE ROW LEVEL SECURITY` (FORCE so even the owner is filtered);
 * - policy `<table>_tenant_isolation` for every role: a row is visible, and may be written, only
 *   when its tenant column equals `current_setting('app.tenant_id', true)`. With no tenant set the
 *   setting is NULL or '' and matches nothing, so a forgotten `withTenant` sees no rows;
 * - optionally policy `<table>_system_access` giving one system role every row, for jobs that are
 *   not tenant-scoped (run through `withSystem`). There is deliberately no "bypass" setting a
 *   request could flip.
 */
export function tenantIsolationSql(options: TenantIsolationOptions): string {
  const table = `${name(options.schema, 'schema')}.${quoteIdentifier(options.table, 'table')}`;
  const column = quoteIdentifier(options.tenantColumn ?? 'tenant_id', 'tenant column');
  const cast = options.tenantColumnType === 'uuid' ? '::uuid' : '';
  const current = `NULLIF(current_setting('${TENANT_SETTING}', true), '')${cast}`;
  const lines = [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY ${quoteIdentifier(`${options.table}_tenant_isolation`, 'policy')} ON ${table}`,
    `  USING (${column} = ${current})`,
    `  WITH CHECK (${column} = ${current});`,
  ];
  if (options.systemRole !== undefined) {
    lines.push(
      `CREATE POLICY ${quoteIdentifier(`${options.table}_system_access`, 'policy')} ON ${table}`,
      `  TO ${name(options.systemRole, 'system role')}`,
      `  USING (true)`,
      `  WITH CHECK (true);`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The down step of {@link tenantIsolationSql}. */
export function tenantIsolationDownSql(options: TenantIsolationOptions): string {
  const table = `${name(options.schema, 'schema')}.${quoteIdentifier(options.table, 'table')}`;
  const lines = [
    `DROP POLICY IF EXISTS ${quoteIdentifier(`${options.table}_system_access`, 'policy')} ON ${table};`,
    `DROP POLICY IF EXISTS ${quoteIdentifier(`${options.table}_tenant_isolation`, 'policy')} ON ${table};`,
    `ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;`,
  ];
  return `${lines.join('\n')}\n`;
}
