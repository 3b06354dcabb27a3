import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { ConfigError } from '../domain/config-errors.js';
import { valueCleared } from '../domain/config-events.js';
import { clearOverride } from '../domain/config-node.js';
import { actorOf, runKeyChange } from './node-change.js';
import type { ChangeRequest, NodeChangeDeps, NodeChangeResult } from './node-change.js';

export interface ClearValueRequest extends ChangeRequest {
  readonly key: string;
}

/** Removes a key's override at a node, so the value follows the parent again. Clearing an absent override changes nothing. */
export class ClearValueUseCase {
  constructor(private readonly deps: NodeChangeDeps) {}

  execute(request: ClearValueRequest): Promise<Result<NodeChangeResult, ConfigError>> {
    return runKeyChange(
      this.deps,
      request,
      'value.clear',
      (node, key, _ancestors, meta) => ok(clearOverride(node, key.key, meta)),
      (before, after, key, meta) => {
        const previous = before.overrides[key.key];
        if (previous === undefined) throw new Error('a cleared value must have been present before the change');
        return [valueCleared(after, key.key, previous, key.sensitive, actorOf(meta))];
      },
    );
  }
}
