import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { ConfigError } from '../domain/config-errors.js';
import { lockChanged } from '../domain/config-events.js';
import { removeLock } from '../domain/config-node.js';
import { actorOf, runKeyChange } from './node-change.js';
import type { ChangeRequest, NodeChangeDeps, NodeChangeResult } from './node-change.js';

export interface RemoveLockRequest extends ChangeRequest {
  readonly key: string;
}

/** Removes a lock held at the node itself (a lock held above can only be removed at that node). */
export class RemoveLockUseCase {
  constructor(private readonly deps: NodeChangeDeps) {}

  execute(request: RemoveLockRequest): Promise<Result<NodeChangeResult, ConfigError>> {
    return runKeyChange(
      this.deps,
      request,
      'lock.remove',
      (node, key, _ancestors, meta) => ok(removeLock(node, key.key, meta)),
      (_before, after, key, meta) => [lockChanged('removed', after, key.key, actorOf(meta))],
    );
  }
}
