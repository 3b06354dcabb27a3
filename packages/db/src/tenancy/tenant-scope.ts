import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import { InvalidIdentifierError, isSafeIdentifier } from '../identifiers.js';

/** The setting the row-level security policies read: `current_setting('app.tenant_id', true)`. */
export const TENANT_SETTING = 'app.tenant_id';

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * True for a tenant id the platform accepts: 1 to 128 characters, letters, digits and `. _ : -`,
 * starting with a letter or digit (UUIDs and slugs both fit).
 */
export const isValidTenantId = (value: unknown): value is string => typeof value === 'string' && TENANT_ID.test(value);

/** Thrown when a tenant-scoped transaction is asked for with a malformed tenant id (validate at the edge first). */
export class InvalidTenantIdError extends Error {
  override readonly name = 'InvalidTenantIdError';
}

export interface TenantScope {
  readonly tenantId: string;
  /** The non-owner role the transaction runs as, e.g. `orch_app`. */
  readonly role: string;
}

export interface SystemScope {
  /** The role of cross-tenant jobs, e.g. `orch_system`; policies grant it access explicitly. */
  readonly role: string;
}

/**
 * Runs `fn` in a transaction that sees only `tenantId`'s rows: `SET LOCAL ROLE <role>` (so a
 * superuser or owner connection is still subject to row-level security) and
 * `SET LOCAL app.tenant_id`. Both end with the transaction, so nothing leaks to the next user of
 * the pooled connection.
 *
 * @throws InvalidTenantIdError before touching the database when the tenant id is malformed.
 */
export async function withTenant<DB, T>(db: Kysely<DB>, scope: TenantScope, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  assertTenantId(scope.tenantId);
  assertRole(scope.role);
  return db.transaction().execute(async (trx) => {
    await applyScope(trx, scope.role, scope.tenantId);
    return fn(trx);
  });
}

/**
 * Runs `fn` in a transaction as a system role, with no tenant set. Tenant policies match nothing
 * for it; it sees rows only through policies written for that role (`TO <system_role>`), see
 * {@link tenantIsolationSql}.
 */
export async function withSystem<DB, T>(db: Kysely<DB>, scope: SystemScope, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  assertRole(scope.role);
  return db.transaction().execute(async (trx) => {
    await applyScope(trx, scope.role, '');
    return fn(trx);
  });
}

/**
 * Applies a role, and a tenant when given, to a transaction the caller already opened (for code
 * that receives a transaction, such as an inbox consumer). `SET LOCAL` outside a transaction
 * would do nothing, so pass a transaction.
 */
export async function scopeTransaction<DB>(trx: Transaction<DB>, scope: { readonly role: string; readonly tenantId?: string | null }): Promise<void> {
  const tenantId = scope.tenantId ?? '';
  if (tenantId !== '') assertTenantId(tenantId);
  assertRole(scope.role);
  await applyScope(trx, scope.role, tenantId);
}

// `set_config('role', …, true)` is `SET LOCAL ROLE` with a bind parameter; one round trip for both.
async function applyScope<DB>(trx: Transaction<DB>, role: string, tenantId: string): Promise<void> {
  await sql`SELECT set_config('role', ${role}, true), set_config(${TENANT_SETTING}, ${tenantId}, true)`.execute(trx);
}

function assertTenantId(tenantId: string): void {
  if (!isValidTenantId(tenantId)) {
    throw new InvalidTenantIdError(`tenant id ${JSON.stringify(String(tenantId).slice(0, 40))} is not valid: 1 to 128 of A-Z a-z 0-9 . _ : -`);
  }
}

function assertRole(role: string): void {
  if (!isSafeIdentifier(role)) throw new InvalidIdentifierError(`role ${JSON.stringify(role)} must be a lower-case SQL identifier`);
}
