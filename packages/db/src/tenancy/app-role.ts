import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { quoteIdentifier } from '../identifiers.js';

export interface EnsureAppRoleOptions<DB> {
  /** A connection as the schemas' owner (or a superuser), e.g. the one migrations run with. */
  readonly db: Kysely<DB>;
  readonly role: string;
  /** Schemas whose tables the role may read and write. Each must exist. */
  readonly schemas: readonly string[];
  /** Makes the role able to log in with this password; otherwise it is NOLOGIN (reached by `SET ROLE`). */
  readonly login?: { readonly password: string };
  /** Login roles that may `SET ROLE` to it (needed unless they are superusers). */
  readonly members?: readonly string[];
}

/** Thrown when an existing role could bypass row-level security (superuser, BYPASSRLS or table owner). */
export class UnsafeAppRoleError extends Error {
  override readonly name = 'UnsafeAppRoleError';
}

const ROLES_LOCK = 'sms.roles';

/**
 * Creates (if missing) a role the service's requests run as, and grants it what it needs and no
 * more: USAGE on the schemas, SELECT/INSERT/UPDATE/DELETE on their tables, USAGE/SELECT on their
 * sequences, and the same by default on tables and sequences the caller creates there later
 * (`ALTER DEFAULT PRIVILEGES` covers objects created by the role running this, so run it as the
 * role that runs migrations). The role never owns a table, so row-level security applies to it.
 * Idempotent and safe to call from several processes at once (one transaction under an advisory
 * lock; inside the caller's transaction when `db` is one).
 *
 * @throws UnsafeAppRoleError when the role exists and is a superuser, has BYPASSRLS or owns a table in the schemas.
 */
export async function ensureAppRole<DB>(options: EnsureAppRoleOptions<DB>): Promise<void> {
  // Validate every name before anything runs.
  quoteIdentifier(options.role, 'role');
  options.schemas.forEach((s) => quoteIdentifier(s, 'schema'));
  (options.members ?? []).forEach((m) => quoteIdentifier(m, 'member role'));
  if (options.db.isTransaction) return ensureInTransaction(options.db, options);
  return options.db.transaction().execute((trx) => ensureInTransaction(trx, options));
}

async function ensureInTransaction<DB>(db: Kysely<DB>, options: EnsureAppRoleOptions<DB>): Promise<void> {
  const role = quoteIdentifier(options.role, 'role');
  const schemas = options.schemas.map((s) => quoteIdentifier(s, 'schema'));
  // GRANTs on one schema update one catalog row; two replicas granting at once would fail with
  // "tuple concurrently updated". One lock for all callers serialises them (held to commit).
  await sql`SELECT pg_advisory_xact_lock(hashtext(${ROLES_LOCK}))`.execute(db);
  const found = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
    SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ${options.role}`.execute(db);
  const existing = found.rows[0];
  if (existing) {
    if (existing.rolsuper || existing.rolbypassrls) {
      throw new UnsafeAppRoleError(`role ${options.role} is a superuser or has BYPASSRLS; row-level security would not apply to it`);
    }
  } else {
    const attributes = 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT';
    // Utility statements take no bind parameters, hence the literal quoting of the password.
    const statement = options.login
      ? `CREATE ROLE ${role} LOGIN ${attributes} PASSWORD ${pg.escapeLiteral(options.login.password)}`
      : `CREATE ROLE ${role} NOLOGIN ${attributes}`;
    // The advisory lock is per database, roles are per cluster: a caller in another database may
    // create the same role at this moment. Then this one finds it created (and re-checks it below).
    await tolerateConcurrentCatalogChange(db, () => sql.raw(statement).execute(db));
    const created = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ${options.role}`.execute(db);
    if (created.rows[0]?.rolsuper === true || created.rows[0]?.rolbypassrls === true) {
      throw new UnsafeAppRoleError(`role ${options.role} is a superuser or has BYPASSRLS; row-level security would not apply to it`);
    }
  }
  for (const member of options.members ?? []) {
    const grant = `GRANT ${role} TO ${quoteIdentifier(member, 'member role')}`;
    await tolerateConcurrentCatalogChange(db, () => sql.raw(grant).execute(db), { retry: true });
  }
  if (options.schemas.length > 0) {
    const owned = await sql<{ table: string }>`
      SELECT schemaname || '.' || tablename AS table FROM pg_tables
      WHERE tableowner = ${options.role} AND schemaname = ANY(${[...options.schemas]}::text[])`.execute(db);
    if (owned.rows.length > 0) {
      throw new UnsafeAppRoleError(
        `role ${options.role} owns ${owned.rows.map((r) => r.table).join(', ')}; owners bypass row-level security unless FORCE is set, and may drop policies`,
      );
    }
  }
  for (const schema of schemas) {
    await sql
      .raw(
        [
          `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
          `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
          `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
          `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
          `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${role}`,
        ].join(';\n'),
      )
      .execute(db);
  }
}

// duplicate_object, unique_violation (two CREATE ROLE racing on pg_authid), and "tuple concurrently
// updated" (two GRANTs of one membership racing on pg_auth_members, SQLSTATE XX000).
const CONCURRENT_CATALOG_CHANGE = new Set(['42710', '23505', 'XX000']);

/**
 * Runs a cluster-wide catalog change inside a savepoint; if it fails because another session (in
 * another database, out of reach of the advisory lock) made the same change at the same moment, the
 * savepoint is rolled back and the change counts as made (or, with `retry`, is tried once more).
 */
async function tolerateConcurrentCatalogChange<DB>(db: Kysely<DB>, change: () => Promise<unknown>, options: { retry?: boolean } = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await sql.raw('SAVEPOINT sms_role_change').execute(db);
    try {
      await change();
      await sql.raw('RELEASE SAVEPOINT sms_role_change').execute(db);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !CONCURRENT_CATALOG_CHANGE.has(code) || attempt >= 3) throw error;
      if (code === 'XX000' && !/concurrently updated/i.test(error instanceof Error ? error.message : '')) throw error;
      await sql.raw('ROLLBACK TO SAVEPOINT sms_role_change').execute(db);
      if (!options.retry) return;
    }
  }
}

/**
 * Drops a role after removing its privileges and default privileges in the current database
 * (other databases it has privileges in must be cleaned the same way first). For tests and teardown.
 */
export async function dropAppRole<DB>(db: Kysely<DB>, roleName: string): Promise<void> {
  const role = quoteIdentifier(roleName, 'role');
  const found = await sql`SELECT 1 FROM pg_roles WHERE rolname = ${roleName}`.execute(db);
  if (found.rows.length === 0) return;
  await sql.raw(`DROP OWNED BY ${role}; DROP ROLE ${role}`).execute(db);
}
