import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { nodeRolledBack } from '../domain/config-events.js';
import { rollbackNode } from '../domain/config-node.js';
import { AccessGuard } from './access-guard.js';
import { EventFactory } from './event-factory.js';
import { actorOf, commitNodeChange, invalidateQuietly, metaFor, toResult } from './node-change.js';
import type { ChangeRequest, NodeChangeDeps, NodeChangeResult } from './node-change.js';
import { checkExpectedVersion, loadAncestors, loadNode } from './node-reference.js';

export interface RollbackNodeRequest extends ChangeRequest {
  /** The earlier version whose overrides and locks are restored. */
  readonly toVersion: number;
}

/**
 * Restores a node's overrides and locks as they were at an earlier version, as a new version.
 * The restored state is validated like fresh changes (current key schemas, locks above, deprecation).
 */
export class RollbackNodeUseCase {
  constructor(private readonly deps: NodeChangeDeps) {}

  async execute(request: RollbackNodeRequest): Promise<Result<NodeChangeResult, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    if (!Number.isSafeInteger(request.toVersion) || request.toVersion < 1) {
      return err(configError('CONFIG.INVALID_INPUT', 'toVersion must be a version number ≥ 1', { field: 'toVersion' }));
    }
    const now = this.deps.clock.now();
    const meta = metaFor(request.subject, request.reason, now);
    if (!meta.ok) return meta;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const result = await this.deps.uow.run<NodeChangeResult, ConfigError>(
      async (tx) => {
        const node = await loadNode(tx.nodes, request.node);
        if (!node.ok) return node;
        const allowed = guard.checkNode(request.subject, 'node.rollback', node.value, request.node);
        if (!allowed.ok) return allowed;
        const expected = checkExpectedVersion(node.value, request.expectedVersion, request.node);
        if (!expected.ok) return expected;
        const target = await tx.versions.find(node.value.id, request.toVersion);
        if (target === null) {
          return err(
            configError('CONFIG.VERSION_NOT_FOUND', `${request.node} has no version ${request.toVersion}`, { toVersion: request.toVersion }),
          );
        }
        const definitions = new Map((await tx.keys.list()).map((k) => [k.key, k]));
        const ancestors = await loadAncestors(tx.nodes, node.value);
        const change = rollbackNode(node.value, target, definitions, ancestors, meta.value);
        if (!change.ok) return change;
        if (!change.value.changed) return ok(toResult(node.value, false));
        const event = nodeRolledBack(
          change.value.node,
          request.toVersion,
          change.value.version.diff,
          (key) => definitions.get(key)?.sensitive ?? true,
          actorOf(meta.value),
        );
        const committed = await commitNodeChange(tx, node.value, change.value, [event], factory, now);
        return committed.ok ? ok(toResult(change.value.node, true)) : committed;
      },
      { tenantId: request.subject.tenantId },
    );
    if (result.ok && result.value.changed) await invalidateQuietly(this.deps.cache, [result.value.path]);
    return result;
  }
}
