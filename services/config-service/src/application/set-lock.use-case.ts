import type { Result } from '@sms/kernel';
import type { ConfigError } from '../domain/config-errors.js';
import { lockChanged } from '../domain/config-events.js';
import { setLock } from '../domain/config-node.js';
import { actorOf, runKeyChange } from './node-change.js';
import type { ChangeRequest, NodeChangeDeps, NodeChangeResult } from './node-change.js';

export interface SetLockRequest extends ChangeRequest {
  readonly key: string;
}

/**
 * Locks a key at a node: descendants can no longer override it, and overrides already below stop
 * counting in resolution (they stay stored and count again if the lock is removed).
 */
export class SetLockUseCase {
  constructor(private readonly deps: NodeChangeDeps) {}

  execute(request: SetLockRequest): Promise<Result<NodeChangeResult, ConfigError>> {
    return runKeyChange(
      this.deps,
      request,
      'lock.set',
      (node, key, ancestors, meta) => setLock(node, key, ancestors, meta),
      (_before, after, key, meta) => [lockChanged('set', after, key.key, actorOf(meta))],
    );
  }
}
