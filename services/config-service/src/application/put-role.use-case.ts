import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateRole, validateSubject } from '../domain/access.js';
import type { Grant, RoleDefinition, Subject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { policyChanged } from '../domain/config-events.js';
import { checkMeta } from '../domain/config-node.js';
import { AccessGuard } from './access-guard.js';
import type { RoleDeps } from './assign-role.use-case.js';
import { EventFactory } from './event-factory.js';
import { ReloadAccessPolicyUseCase } from './reload-access-policy.use-case.js';

export interface PutRoleRequest {
  readonly subject: Subject;
  readonly name: string;
  readonly description: string;
  readonly tenantAssignable: boolean;
  readonly grants: readonly Grant[];
  readonly reason: string;
  /** null: the role must not exist yet; a number: the role must be at this version; absent: either. */
  readonly expectedVersion?: number | null;
}

export const systemRoleImmutable = (name: string): ConfigError =>
  configError('CONFIG.SYSTEM_ROLE_IMMUTABLE', `${name} is a system role; it changes only by migration`, { role: name });

/**
 * Creates or replaces a custom role (`policy.change`): a change of the access policy. The
 * engine's guardrails still apply to custom roles (a tenant-bound subject stays in its tenant).
 */
export class PutRoleUseCase {
  constructor(private readonly deps: RoleDeps) {}

  async execute(request: PutRoleRequest): Promise<Result<RoleDefinition, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const now = this.deps.clock.now();
    const meta = checkMeta({ author: request.subject.id, reason: request.reason, now });
    if (!meta.ok) return meta;
    const draft = {
      name: request.name,
      description: request.description,
      system: false,
      tenantAssignable: request.tenantAssignable,
      grants: request.grants.map((g) => ({ actions: [...g.actions], scope: g.scope, keys: g.keys })),
    };
    const valid = validateRole(draft);
    if (!valid.ok) return valid;
    const allowed = new AccessGuard(this.deps.accessPolicy).check(request.subject, 'policy.change', { kind: 'policy', role: draft.name }, `role ${draft.name}`);
    if (!allowed.ok) return allowed;
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const result = await this.deps.uow.run<RoleDefinition, ConfigError>(
      async (tx) => {
        const current = await tx.roles.find(draft.name);
        if (current?.system === true) return err(systemRoleImmutable(draft.name));
        const expected = request.expectedVersion;
        if (expected !== undefined && expected !== (current?.version ?? null)) {
          return err(configError('CONFIG.VERSION_CONFLICT', `role ${draft.name} is not at the expected version`, { currentVersion: current?.version ?? null }));
        }
        const next: RoleDefinition = { ...draft, version: (current?.version ?? 0) + 1, updatedAt: now.toISOString() };
        if (!(await tx.roles.put(next, current?.version ?? null))) {
          return err(configError('CONFIG.VERSION_CONFLICT', `role ${draft.name} changed since it was read`));
        }
        const event = policyChanged(draft.name, current, next, next.version, { actor: { subjectId: request.subject.id }, reason: meta.value.reason });
        await tx.outbox.enqueue(factory.envelopes([event], now));
        return ok(next);
      },
      { tenantId: null },
    );
    if (result.ok) {
      const reloaded = await new ReloadAccessPolicyUseCase(this.deps).execute();
      if (!reloaded.ok) return reloaded;
    }
    return result;
  }
}
