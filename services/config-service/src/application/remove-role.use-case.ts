import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { policyChanged } from '../domain/config-events.js';
import { checkMeta } from '../domain/config-node.js';
import { AccessGuard } from './access-guard.js';
import type { RoleDeps } from './assign-role.use-case.js';
import { EventFactory } from './event-factory.js';
import { systemRoleImmutable } from './put-role.use-case.js';
import { ReloadAccessPolicyUseCase } from './reload-access-policy.use-case.js';

/**
 * Removes a custom role (`policy.change`). Its assignments stay stored but grant nothing, and
 * come back to life only if a role of that name is defined again.
 */
export class RemoveRoleUseCase {
  constructor(private readonly deps: RoleDeps) {}

  async execute(request: { readonly subject: Subject; readonly name: string; readonly reason: string }): Promise<Result<void, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const now = this.deps.clock.now();
    const meta = checkMeta({ author: request.subject.id, reason: request.reason, now });
    if (!meta.ok) return meta;
    const allowed = new AccessGuard(this.deps.accessPolicy).check(request.subject, 'policy.change', { kind: 'policy', role: request.name }, `role ${request.name}`);
    if (!allowed.ok) return allowed;
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const result = await this.deps.uow.run<void, ConfigError>(
      async (tx) => {
        const current = await tx.roles.find(request.name);
        if (current === null) return err(configError('CONFIG.ROLE_NOT_FOUND', `no role ${request.name}`, { role: request.name }));
        if (current.system) return err(systemRoleImmutable(request.name));
        if (!(await tx.roles.remove(current.name, current.version))) {
          return err(configError('CONFIG.VERSION_CONFLICT', `role ${current.name} changed since it was read`));
        }
        const event = policyChanged(current.name, current, null, current.version + 1, { actor: { subjectId: request.subject.id }, reason: meta.value.reason });
        await tx.outbox.enqueue(factory.envelopes([event], now));
        return ok();
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
