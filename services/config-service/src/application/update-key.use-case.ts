import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { keyUpdated } from '../domain/config-events.js';
import { checkMeta } from '../domain/config-node.js';
import { updateKey, validateValue } from '../domain/key-definition.js';
import type { KeyChanges, KeyDefinition } from '../domain/key-definition.js';
import { AccessGuard, keyAttributes } from './access-guard.js';
import type { KeyCatalogueDeps } from './define-key.use-case.js';
import { EventFactory } from './event-factory.js';
import { invalidateAllQuietly } from './key-catalogue.js';

export interface UpdateKeyRequest {
  readonly subject: Subject;
  readonly key: string;
  /** Schema, description, sensitivity, owner, deprecation. */
  readonly changes: KeyChanges;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * Changes a key definition (`key.update`), including deprecating it. A new schema must accept
 * every override already stored, or the change is refused with CONFIG.SCHEMA_CONFLICT naming them.
 */
export class UpdateKeyUseCase {
  constructor(private readonly deps: KeyCatalogueDeps) {}

  async execute(request: UpdateKeyRequest): Promise<Result<KeyDefinition, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const now = this.deps.clock.now();
    const meta = checkMeta({ author: request.subject.id, reason: request.reason, now });
    if (!meta.ok) return meta;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const result = await this.deps.uow.run<KeyDefinition, ConfigError>(
      async (tx) => {
        const current = await tx.keys.find(request.key);
        if (current === null) return err(configError('CONFIG.KEY_NOT_FOUND', `key ${request.key} is not defined`, { key: request.key }));
        const allowed = guard.check(request.subject, 'key.update', { kind: 'key', key: keyAttributes(current) }, `key ${current.key}`);
        if (!allowed.ok) return allowed;
        if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) {
          return err(
            configError('CONFIG.VERSION_CONFLICT', `key ${current.key} is at version ${current.version}`, { currentVersion: current.version }),
          );
        }
        const next = updateKey(current, request.changes, now);
        if (!next.ok) return next;
        if (request.changes.schema !== undefined) {
          const conflicts = (await tx.nodes.findWithOverride(current.key)).flatMap((node) => {
            const checked = validateValue(current.key, next.value.schema, node.overrides[current.key]);
            return checked.ok ? [] : [{ path: node.path, rule: checked.error.details?.['rule'] }];
          });
          if (conflicts.length > 0) {
            return err(
              configError('CONFIG.SCHEMA_CONFLICT', `${conflicts.length} stored override(s) of ${current.key} break the new schema`, {
                key: current.key,
                nodes: conflicts,
              }),
            );
          }
        }
        if (!(await tx.keys.update(next.value, current.version))) {
          return err(configError('CONFIG.VERSION_CONFLICT', `key ${current.key} changed since it was read`));
        }
        const event = keyUpdated(current, next.value, { actor: { subjectId: meta.value.author }, reason: meta.value.reason });
        await tx.outbox.enqueue(factory.envelopes([event], now));
        return ok(next.value);
      },
      { tenantId: null },
    );
    if (result.ok) await invalidateAllQuietly(this.deps.cache);
    return result;
  }
}
