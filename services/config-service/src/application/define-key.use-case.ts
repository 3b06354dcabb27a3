import { err, ok } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { keyDefined } from '../domain/config-events.js';
import { defineKey } from '../domain/key-definition.js';
import type { KeyDefinition, KeyDraft } from '../domain/key-definition.js';
import { AccessGuard, keyAttributes } from './access-guard.js';
import { EventFactory } from './event-factory.js';
import { invalidateAllQuietly } from './key-catalogue.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { ResolutionCache } from './ports/resolution-cache.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

export interface KeyCatalogueDeps {
  readonly uow: UnitOfWork;
  readonly accessPolicy: AccessPolicy;
  readonly cache: ResolutionCache;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Adds a key to the catalogue (`key.define`); its default applies everywhere at once. */
export class DefineKeyUseCase {
  constructor(private readonly deps: KeyCatalogueDeps) {}

  async execute(request: { readonly subject: Subject; readonly draft: KeyDraft }): Promise<Result<KeyDefinition, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const now = this.deps.clock.now();
    const definition = defineKey(request.draft, now);
    if (!definition.ok) return definition;
    const allowed = new AccessGuard(this.deps.accessPolicy).check(
      request.subject,
      'key.define',
      { kind: 'key', key: keyAttributes(definition.value) },
      `key ${definition.value.key}`,
    );
    if (!allowed.ok) return allowed;
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const result = await this.deps.uow.run<KeyDefinition, ConfigError>(
      async (tx) => {
        if (!(await tx.keys.insert(definition.value))) {
          return err(configError('CONFIG.KEY_EXISTS', `key ${definition.value.key} is already defined`, { key: definition.value.key }));
        }
        await tx.outbox.enqueue(factory.envelopes([keyDefined(definition.value, { subjectId: request.subject.id })], now));
        return ok(definition.value);
      },
      { tenantId: null },
    );
    if (result.ok) await invalidateAllQuietly(this.deps.cache);
    return result;
  }
}
