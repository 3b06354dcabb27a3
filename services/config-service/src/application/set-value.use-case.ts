import type { Result } from '@sms/kernel';
import type { ConfigError } from '../domain/config-errors.js';
import { valueSet } from '../domain/config-events.js';
import { setOverride } from '../domain/config-node.js';
import { actorOf, runKeyChange } from './node-change.js';
import type { ChangeRequest, NodeChangeDeps, NodeChangeResult } from './node-change.js';

export interface SetValueRequest extends ChangeRequest {
  readonly key: string;
  /** Checked against the key's schema; a bad value is refused with the key and the rule it broke. */
  readonly value: unknown;
}

/** Sets (or replaces) a key's override at a node. Setting the value it already has changes nothing. */
export class SetValueUseCase {
  constructor(private readonly deps: NodeChangeDeps) {}

  execute(request: SetValueRequest): Promise<Result<NodeChangeResult, ConfigError>> {
    return runKeyChange(
      this.deps,
      request,
      'value.set',
      (node, key, ancestors, meta) => setOverride(node, key, request.value, ancestors, meta),
      (before, after, key, meta) => {
        const value = after.overrides[key.key];
        if (value === undefined) throw new Error('a set value must be present after the change');
        return [valueSet(after, key, before.overrides[key.key] ?? null, value, actorOf(meta))];
      },
    );
  }
}
