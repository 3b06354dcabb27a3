import type { Subject } from '../domain/access.js';
import type { ConfigValue } from '../domain/config-value.js';
import type { KeyDefinition } from '../domain/key-definition.js';
import type { AccessGuard } from './access-guard.js';
import { keyAttributes } from './access-guard.js';
import type { NodeAttributes } from './ports/access-policy.port.js';

/** A stored value as a caller may see it. */
export interface ValueView {
  readonly value: ConfigValue | null;
  readonly redacted: boolean;
}

/**
 * Decides, per key, whether the caller may see sensitive values at a node. Unknown keys (no longer
 * defined) are treated as sensitive: when in doubt, redact.
 */
export function redactorFor(
  guard: AccessGuard,
  subject: Subject,
  node: NodeAttributes,
  definitions: ReadonlyMap<string, KeyDefinition>,
): (key: string, value: ConfigValue | null) => ValueView {
  const verdicts = new Map<string, boolean>();
  const mayRead = (key: string): boolean => {
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const definition = definitions.get(key);
    const allowed =
      definition !== undefined &&
      (!definition.sensitive || guard.allows(subject, 'sensitive.read', { kind: 'node', node, key: keyAttributes(definition) }));
    verdicts.set(key, allowed);
    return allowed;
  };
  return (key, value) => (value === null || mayRead(key) ? { value, redacted: false } : { value: null, redacted: true });
}
