import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { nodeMoved } from '../domain/config-events.js';
import type { ConfigLevels } from '../domain/config-levels.js';
import { moveNode } from '../domain/config-node.js';
import { AccessGuard } from './access-guard.js';
import { EventFactory } from './event-factory.js';
import { actorOf, invalidateQuietly, metaFor, toResult } from './node-change.js';
import type { ChangeRequest, NodeChangeDeps, NodeChangeResult } from './node-change.js';
import { checkExpectedVersion, loadNode, versionConflict } from './node-reference.js';

export interface MoveNodeRequest extends ChangeRequest {
  /** The new parent: path, `tenant:<tenantId>` or `node:<id>`. */
  readonly newParent: string;
}

/**
 * Moves a node (and its subtree) under another parent. Needs `node.move` on the node and
 * `node.create` on the new parent. Overrides in the subtree that a lock above the new place
 * shadows simply stop counting in resolution, as with a lock set later.
 */
export class MoveNodeUseCase {
  constructor(private readonly deps: NodeChangeDeps & { readonly levels: ConfigLevels }) {}

  async execute(request: MoveNodeRequest): Promise<Result<NodeChangeResult & { readonly fromPath: string }, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const now = this.deps.clock.now();
    const meta = metaFor(request.subject, request.reason, now);
    if (!meta.ok) return meta;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const result = await this.deps.uow.run<NodeChangeResult & { fromPath: string }, ConfigError>(
      async (tx) => {
        const node = await loadNode(tx.nodes, request.node);
        if (!node.ok) return node;
        const mayMove = guard.checkNode(request.subject, 'node.move', node.value, request.node);
        if (!mayMove.ok) return mayMove;
        const parentNotFound = configError('CONFIG.PARENT_NOT_FOUND', `no parent node ${request.newParent}`, { parent: request.newParent });
        const parent = await loadNode(tx.nodes, request.newParent);
        if (!parent.ok) return err(parentNotFound);
        const mayCreate = guard.checkNode(request.subject, 'node.create', parent.value, request.newParent);
        if (!mayCreate.ok) return mayCreate.error.code === 'CONFIG.NODE_NOT_FOUND' ? err(parentNotFound) : mayCreate;
        const expected = checkExpectedVersion(node.value, request.expectedVersion, request.node);
        if (!expected.ok) return expected;
        const moved = moveNode(node.value, parent.value, this.deps.levels, meta.value);
        if (!moved.ok) return moved;
        if (!moved.value.changed) return ok({ ...toResult(node.value, false), fromPath: node.value.path });
        const subtree = await tx.nodes.findSubtree(node.value.path);
        const outcome = await tx.nodes.move(moved.value.node, node.value.path, node.value.version);
        if (outcome === 'stale') return err(versionConflict(request.node));
        if (outcome === 'path-taken') {
          return err(configError('CONFIG.PATH_CONFLICT', `${moved.value.node.path} already exists`, { path: moved.value.node.path }));
        }
        await tx.versions.append(moved.value.version);
        const event = nodeMoved(node.value, moved.value.node, subtree.length - 1, actorOf(meta.value));
        await tx.outbox.enqueue(factory.envelopes([event], now));
        return ok({ ...toResult(moved.value.node, true), fromPath: node.value.path });
      },
      { tenantId: request.subject.tenantId },
    );
    if (result.ok && result.value.changed) await invalidateQuietly(this.deps.cache, [result.value.fromPath, result.value.path]);
    return result;
  }
}
