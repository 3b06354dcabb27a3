import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { RoleAssignment, Subject } from '../domain/access.js';
import type { ConfigError } from '../domain/config-errors.js';
import { AccessGuard } from './access-guard.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

export interface ListRoleAssignmentsRequest {
  readonly subject: Subject;
  readonly assignee?: string;
  readonly role?: string;
  /** Only assignments bound to this tenant. A tenant-bound caller always sees only its own tenant's. */
  readonly tenantId?: string;
}

/**
 * Role assignments the caller may read (`role.read`, decided per assignment). A tenant-bound
 * caller's listing is confined to its tenant before anything is read; the rest are left out, not refused.
 */
export class ListRoleAssignmentsUseCase {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly accessPolicy: AccessPolicy }) {}

  async execute(request: ListRoleAssignmentsRequest): Promise<Result<readonly RoleAssignment[], ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const tenantId = request.subject.tenantId ?? request.tenantId;
    if (request.subject.tenantId !== null && request.tenantId !== undefined && request.tenantId !== request.subject.tenantId) {
      return ok([]);
    }
    const guard = new AccessGuard(this.deps.accessPolicy);
    return this.deps.uow.run<RoleAssignment[], ConfigError>(
      async (tx) => {
        const roles = new Map((await tx.roles.list()).map((r) => [r.name, r]));
        const assignments = await tx.assignments.list({
          ...(request.assignee === undefined ? {} : { subjectId: request.assignee }),
          ...(request.role === undefined ? {} : { role: request.role }),
          ...(tenantId === undefined ? {} : { tenantId }),
        });
        return ok(
          assignments.filter((a) =>
            guard.allows(request.subject, 'role.read', {
              kind: 'role-assignment',
              role: a.role,
              tenantId: a.tenantId,
              tenantAssignable: roles.get(a.role)?.tenantAssignable ?? false,
            }),
          ),
        );
      },
      { tenantId: request.subject.tenantId, readOnly: true },
    );
  }
}
