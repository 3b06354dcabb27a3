import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { RoleDefinition } from '../domain/access.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

/**
 * Loads the stored roles into the access policy: at start-up, after a local policy change, and
 * when a `config.policy.changed.v1` event arrives from another replica.
 */
export class ReloadAccessPolicyUseCase {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly accessPolicy: AccessPolicy }) {}

  async execute(): Promise<Result<{ readonly roles: number }, ConfigError>> {
    const roles = await this.deps.uow.run<RoleDefinition[], ConfigError>(async (tx) => ok(await tx.roles.list()), { tenantId: null, readOnly: true });
    if (!roles.ok) return roles;
    this.deps.accessPolicy.loadRoles(roles.value);
    return ok({ roles: roles.value.length });
  }
}
