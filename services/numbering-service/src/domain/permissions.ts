import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from './numbering-errors.js';
import type { NumberingError } from './numbering-errors.js';

/**
 * Roles of the numbering surfaces. Staff roles: `admin`, `commerce` (inventory and sales), `compliance`
 * (recalls, audit), `auditor` (read-only, e.g. the regulator's reviewer). Tenant roles: `tenant` (manages
 * its own reservations and leases) and `tenant_viewer` (reads them). Machine roles: `service` (internal gRPC
 * callers such as the orchestrator) and `system` (this service's own scheduled jobs and consumers).
 */
export const ROLES = ['admin', 'commerce', 'compliance', 'auditor', 'tenant', 'tenant_viewer', 'service', 'system'] as const;
export type Role = (typeof ROLES)[number];
export const TENANT_ROLES = ['tenant', 'tenant_viewer'] as const satisfies readonly Role[];
export type TenantRole = (typeof TENANT_ROLES)[number];
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export const PERMISSIONS = [
  'lease.validate',
  'number.lookup',
  'number.reserve',
  'number.assign',
  'number.release',
  'lease.renew',
  'number.expire',
  'number.recall',
  'recall.resolve',
  'quarantine.end',
  'number.retire',
  'holdings.list',
  'inventory.import',
  'catalog.read',
  'catalog.manage',
  'tenant_pool.read',
  'tenant_pool.manage',
  'audit.read',
  'audit.verify',
  'export.read',
  'export.run',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `any`: on every tenant's resources; `own`: only on resources of the actor's own tenant. */
export type Grant = 'any' | 'own';

const all = (grant: Grant): Record<Permission, Grant> =>
  Object.fromEntries(PERMISSIONS.map((p) => [p, grant])) as Record<Permission, Grant>;

/**
 * The permission matrix, as data: the edge checks each endpoint's permission against it, and the use
 * cases check it again (defence in depth). A permission missing from a role's row is refused.
 */
export const PERMISSION_MATRIX: Readonly<Record<Role, Readonly<Partial<Record<Permission, Grant>>>>> = Object.freeze({
  admin: all('any'),
  commerce: {
    'number.lookup': 'any',
    'number.reserve': 'any',
    'number.assign': 'any',
    'number.release': 'any',
    'lease.renew': 'any',
    'number.retire': 'any',
    'holdings.list': 'any',
    'inventory.import': 'any',
    'catalog.read': 'any',
    'catalog.manage': 'any',
    'tenant_pool.read': 'any',
    'tenant_pool.manage': 'any',
  },
  compliance: {
    'number.lookup': 'any',
    'number.recall': 'any',
    'recall.resolve': 'any',
    'number.retire': 'any',
    'holdings.list': 'any',
    'catalog.read': 'any',
    'tenant_pool.read': 'any',
    'audit.read': 'any',
    'audit.verify': 'any',
    'export.read': 'any',
    // Compliance runs the monthly regulator export by hand when the scheduled run failed or must be redone.
    'export.run': 'any',
  },
  auditor: {
    'number.lookup': 'any',
    'holdings.list': 'any',
    'catalog.read': 'any',
    'tenant_pool.read': 'any',
    'audit.read': 'any',
    'audit.verify': 'any',
    'export.read': 'any',
  },
  tenant: {
    'number.lookup': 'any',
    'number.reserve': 'own',
    'number.assign': 'own',
    'number.release': 'own',
    'lease.renew': 'own',
    'holdings.list': 'own',
    'tenant_pool.read': 'own',
  },
  tenant_viewer: {
    'number.lookup': 'any',
    'holdings.list': 'own',
    'tenant_pool.read': 'own',
  },
  service: {
    'lease.validate': 'any',
    'number.lookup': 'any',
    'catalog.read': 'any',
  },
  system: {
    'number.lookup': 'any',
    'number.expire': 'any',
    'lease.renew': 'any',
    'number.recall': 'any',
    'recall.resolve': 'any',
    'quarantine.end': 'any',
    'holdings.list': 'any',
    'audit.verify': 'any',
    'export.run': 'any',
  },
});

/** Who is calling. A tenant-role actor always carries its tenant id; staff and machine actors carry none. */
export type Actor =
  | { readonly role: TenantRole; readonly id: string; readonly tenantId: string }
  | { readonly role: Exclude<Role, TenantRole>; readonly id: string; readonly tenantId?: undefined };

export const isTenantActor = (actor: Actor): actor is Extract<Actor, { role: TenantRole }> =>
  actor.role === 'tenant' || actor.role === 'tenant_viewer';

/** The grant a role has for a permission, or `null` when it has none. */
export const grantOf = (role: Role, permission: Permission): Grant | null => PERMISSION_MATRIX[role][permission] ?? null;

/**
 * Checks that `actor` may exercise `permission`; for an `own` grant, on a resource of `resourceTenantId`
 * (pass the tenant the request acts for). An `own` grant with no resource tenant is refused.
 */
export function authorize(actor: Actor, permission: Permission, resourceTenantId?: string | null): Result<void, NumberingError> {
  const grant = grantOf(actor.role, permission);
  if (grant === 'any') return ok();
  if (grant === 'own' && actor.tenantId !== undefined && resourceTenantId === actor.tenantId) return ok();
  return err(
    numberingError('NUMBERING.FORBIDDEN', `role ${actor.role} may not ${permission}${grant === 'own' ? ' for another tenant' : ''}`, {
      permission,
    }),
  );
}

/** A stable string naming the principal, used to scope idempotency keys per caller. */
export const principalOf = (actor: Actor): string =>
  actor.tenantId === undefined ? `${actor.role}:${actor.id}` : `tenant:${actor.tenantId}:${actor.id}`;
