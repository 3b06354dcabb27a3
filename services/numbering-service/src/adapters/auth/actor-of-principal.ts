import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { Principal } from '@sms/auth';
import { grantOf, isRole, numberingError, ROLES } from '../../index.js';
import type { Actor, NumberingError, Permission, Role } from '../../index.js';

const TENANT_ROLES: readonly Role[] = ['tenant', 'tenant_viewer'];

/**
 * The numbering roles a verified token may act as: tenant roles need a tenant claim, the others must not have one.
 * `system` is never taken from a token: it is the service's own jobs and consumers acting in-process.
 */
export function numberingRolesOf(principal: Principal): Role[] {
  const claimed: Role[] = principal.roles.filter(isRole).filter((r) => r !== 'system');
  const roles =
    principal.tenantId !== null ? claimed.filter((r) => TENANT_ROLES.includes(r)) : claimed.filter((r) => !TENANT_ROLES.includes(r));
  // A service identity (`svc` claim) with no numbering role is an internal caller.
  if (principal.tenantId === null && principal.serviceName !== null && roles.length === 0) roles.push('service');
  return ROLES.filter((r) => roles.includes(r));
}

/**
 * The actor a request runs as, for one permission: of the numbering roles the token carries, the first (in
 * {@link ROLES} order) that grants the permission; when none does, the first role anyway (the use case then
 * refuses with FORBIDDEN naming it). A token with no numbering role at all is refused here.
 */
export function actorFor(principal: Principal, permission: Permission): Result<Actor, NumberingError> {
  const roles = numberingRolesOf(principal);
  const role = roles.find((r) => grantOf(r, permission) !== null) ?? roles[0];
  if (role === undefined) {
    return err(numberingError('NUMBERING.FORBIDDEN', 'the token carries no numbering role', { permission }));
  }
  if (role === 'tenant' || role === 'tenant_viewer') {
    return principal.tenantId === null
      ? err(numberingError('NUMBERING.FORBIDDEN', 'a tenant role needs a tenant', { permission }))
      : ok({ role, id: principal.subject, tenantId: principal.tenantId });
  }
  return ok({ role, id: principal.subject });
}
