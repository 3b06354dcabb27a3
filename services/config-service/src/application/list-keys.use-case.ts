import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { KeyDefinition } from '../domain/key-definition.js';
import { AccessGuard, keyAttributes } from './access-guard.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

/** A sensitive key's default is shown only to those who may change the key. */
function withoutDefault(k: KeyDefinition): KeyDefinition {
  const schema = { ...k.schema };
  delete schema.default;
  return { ...k, schema };
}

/** The key catalogue as the caller may read it (`key.read` per key; a service sees the keys it owns). */
export class ListKeysUseCase {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly accessPolicy: AccessPolicy }) {}

  async execute(request: { readonly subject: Subject }): Promise<Result<readonly KeyDefinition[], ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const all = await this.deps.uow.run<KeyDefinition[], ConfigError>(async (tx) => ok(await tx.keys.list()), { tenantId: request.subject.tenantId, readOnly: true });
    if (!all.ok) return all;
    return ok(
      all.value
        .filter((k) => guard.allows(request.subject, 'key.read', { kind: 'key', key: keyAttributes(k) }))
        .map((k) => (k.sensitive && !guard.allows(request.subject, 'key.update', { kind: 'key', key: keyAttributes(k) }) ? withoutDefault(k) : k)),
    );
  }
}
