import type { Kysely, Transaction } from 'kysely';
import { withSystem, withTenant } from '@sms/db';
import type { NumberingTables } from './numbering-tables.js';

/**
 * Whose transaction a store works in. `tenant`: a tenant's own request (the app role with
 * `app.tenant_id` set, so row-level security keeps it to its rows); `system`: staff, internal services,
 * scheduled jobs and consumers (the system role, which the policies grant every row).
 */
export type NumberingScope = { readonly kind: 'system' } | { readonly kind: 'tenant'; readonly tenantId: string };

export const SYSTEM_SCOPE: NumberingScope = Object.freeze({ kind: 'system' });
export const tenantScope = (tenantId: string): NumberingScope => ({ kind: 'tenant', tenantId });

export interface NumberingRoles {
  readonly appRole: string;
  readonly systemRole: string;
}

export type NumberingDb = Kysely<NumberingTables>;

/**
 * Runs a piece of database work: inside a unit of work it is that transaction; outside, each call opens
 * its own short transaction in the store's scope.
 */
export type Runner = <R>(work: (db: NumberingDb) => Promise<R>) => Promise<R>;

/** A transaction opened in `scope` (`SET LOCAL ROLE` and `app.tenant_id`), for `work`. */
export function inScope<R>(
  db: NumberingDb,
  roles: NumberingRoles,
  scope: NumberingScope,
  work: (trx: Transaction<NumberingTables>) => Promise<R>,
): Promise<R> {
  return scope.kind === 'tenant'
    ? withTenant(db, { tenantId: scope.tenantId, role: roles.appRole }, work)
    : withSystem(db, { role: roles.systemRole }, work);
}

export const standaloneRunner =
  (db: NumberingDb, roles: NumberingRoles, scope: NumberingScope): Runner =>
  (work) =>
    inScope(db, roles, scope, work);

export const transactionRunner =
  (trx: NumberingDb): Runner =>
  (work) =>
    work(trx);
