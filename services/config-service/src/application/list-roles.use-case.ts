import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { RoleDefinition, Subject } from '../domain/access.js';
import type { ConfigError } from '../domain/config-errors.js';
import { AccessGuard } from './access-guard.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

/** The role definitions, system and custom (`policy.read`). */
export class ListRolesUseCase {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly accessPolicy: AccessPolicy }) {}

  async execute(request: { readonly subject: Subject }): Promise<Result<readonly RoleDefinition[], ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const allowed = new AccessGuard(this.deps.accessPolicy).check(request.subject, 'policy.read', { kind: 'policy', role: null }, 'the roles');
    if (!allowed.ok) return allowed;
    return this.deps.uow.run<RoleDefinition[], ConfigError>(async (tx) => ok(await tx.roles.list()), { tenantId: null, readOnly: true });
  }
}
