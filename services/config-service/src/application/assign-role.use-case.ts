import { err, ok } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { RoleAssignment, Subject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { roleAssigned } from '../domain/config-events.js';
import { checkMeta, isTenantId } from '../domain/config-node.js';
import { AccessGuard } from './access-guard.js';
import { EventFactory } from './event-factory.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

export interface RoleDeps {
  readonly uow: UnitOfWork;
  readonly accessPolicy: AccessPolicy;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface RoleAssignmentRequest {
  readonly subject: Subject;
  /** Who receives (or loses) the role. */
  readonly assignee: string;
  readonly role: string;
  /** The tenant the assignment binds the assignee to; null for a platform-wide assignment. */
  readonly tenantId: string | null;
  readonly reason: string;
}

export interface RoleAssignmentResult {
  readonly assignment: RoleAssignment;
  readonly changed: boolean;
}

export function checkAssignmentInput(request: RoleAssignmentRequest): Result<void, ConfigError> {
  if (request.assignee.trim().length === 0) {
    return err(configError('CONFIG.INVALID_INPUT', 'assignee is required', { field: 'assignee' }));
  }
  if (request.tenantId !== null && !isTenantId(request.tenantId)) {
    return err(configError('CONFIG.INVALID_INPUT', 'tenantId is malformed', { field: 'tenantId' }));
  }
  return ok();
}

/** Gives a subject a role (`role.assign`); assigning a role the subject already holds changes nothing. */
export class AssignRoleUseCase {
  constructor(private readonly deps: RoleDeps) {}

  async execute(request: RoleAssignmentRequest): Promise<Result<RoleAssignmentResult, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const input = checkAssignmentInput(request);
    if (!input.ok) return input;
    const now = this.deps.clock.now();
    const meta = checkMeta({ author: request.subject.id, reason: request.reason, now });
    if (!meta.ok) return meta;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    return this.deps.uow.run<RoleAssignmentResult, ConfigError>(
      async (tx) => {
        const role = await tx.roles.find(request.role);
        if (role === null) return err(configError('CONFIG.ROLE_NOT_FOUND', `no role ${request.role}`, { role: request.role }));
        const resource = { kind: 'role-assignment', role: role.name, tenantId: request.tenantId, tenantAssignable: role.tenantAssignable } as const;
        const allowed = guard.check(request.subject, 'role.assign', resource, `role ${role.name}`);
        if (!allowed.ok) return allowed;
        const existing = await tx.assignments.find(request.assignee, role.name, request.tenantId);
        if (existing !== null) return ok({ assignment: existing, changed: false });
        const assignment: RoleAssignment = {
          id: this.deps.ids.next(),
          subjectId: request.assignee,
          role: role.name,
          tenantId: request.tenantId,
          assignedBy: request.subject.id,
          assignedAt: now.toISOString(),
        };
        if (!(await tx.assignments.insert(assignment))) {
          return err(configError('CONFIG.VERSION_CONFLICT', 'the assignment was created concurrently; read it again'));
        }
        const event = roleAssigned(assignment, { actor: { subjectId: request.subject.id }, reason: meta.value.reason });
        await tx.outbox.enqueue(factory.envelopes([event], now));
        return ok({ assignment, changed: true });
      },
      { tenantId: request.subject.tenantId },
    );
  }
}
