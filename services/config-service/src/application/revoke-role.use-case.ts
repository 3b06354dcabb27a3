import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { roleRevoked } from '../domain/config-events.js';
import { checkMeta } from '../domain/config-node.js';
import { AccessGuard } from './access-guard.js';
import { checkAssignmentInput } from './assign-role.use-case.js';
import type { RoleAssignmentRequest, RoleDeps } from './assign-role.use-case.js';
import { EventFactory } from './event-factory.js';

/** Takes a role away (`role.revoke`); revoking an assignment that does not exist changes nothing. */
export class RevokeRoleUseCase {
  constructor(private readonly deps: RoleDeps) {}

  async execute(request: RoleAssignmentRequest): Promise<Result<{ readonly changed: boolean }, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const input = checkAssignmentInput(request);
    if (!input.ok) return input;
    const now = this.deps.clock.now();
    const meta = checkMeta({ author: request.subject.id, reason: request.reason, now });
    if (!meta.ok) return meta;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    return this.deps.uow.run<{ changed: boolean }, ConfigError>(
      async (tx) => {
        const role = await tx.roles.find(request.role);
        if (role === null) return err(configError('CONFIG.ROLE_NOT_FOUND', `no role ${request.role}`, { role: request.role }));
        const resource = { kind: 'role-assignment', role: role.name, tenantId: request.tenantId, tenantAssignable: role.tenantAssignable } as const;
        const allowed = guard.check(request.subject, 'role.revoke', resource, `role ${role.name}`);
        if (!allowed.ok) return allowed;
        const existing = await tx.assignments.find(request.assignee, role.name, request.tenantId);
        if (existing === null || !(await tx.assignments.remove(existing.id))) return ok({ changed: false });
        const event = roleRevoked(existing, { actor: { subjectId: request.subject.id }, reason: meta.value.reason });
        await tx.outbox.enqueue(factory.envelopes([event], now));
        return ok({ changed: true });
      },
      { tenantId: request.subject.tenantId },
    );
  }
}
