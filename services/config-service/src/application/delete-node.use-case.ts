import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { ConfigError } from '../domain/config-errors.js';
import { nodeDeleted } from '../domain/config-events.js';
import { deleteNode } from '../domain/config-node.js';
import type { ChangeMeta, ConfigNode } from '../domain/config-node.js';
import { AccessGuard } from './access-guard.js';
import { EventFactory } from './event-factory.js';
import { actorOf, invalidateQuietly, metaFor } from './node-change.js';
import type { ChangeRequest, NodeChangeDeps } from './node-change.js';
import { checkExpectedVersion, loadNode, versionConflict } from './node-reference.js';
import type { TransactionScope } from './ports/unit-of-work.port.js';

export interface DeleteNodeResult {
  readonly nodeId: string;
  readonly path: string;
  /** Ids of the descendants deleted with the node. */
  readonly deletedDescendants: readonly string[];
}

/** Deletes a node and its whole subtree; each deleted node gets a last version, their history stays. */
export class DeleteNodeUseCase {
  constructor(private readonly deps: NodeChangeDeps) {}

  async execute(request: ChangeRequest): Promise<Result<DeleteNodeResult, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const now = this.deps.clock.now();
    const meta = metaFor(request.subject, request.reason, now);
    if (!meta.ok) return meta;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const result = await this.deps.uow.run<DeleteNodeResult, ConfigError>(
      async (tx) => {
        const node = await loadNode(tx.nodes, request.node);
        if (!node.ok) return node;
        const allowed = guard.checkNode(request.subject, 'node.delete', node.value, request.node);
        if (!allowed.ok) return allowed;
        const expected = checkExpectedVersion(node.value, request.expectedVersion, request.node);
        if (!expected.ok) return expected;
        return deleteSubtree(tx, node.value, meta.value, factory);
      },
      { tenantId: request.subject.tenantId },
    );
    if (result.ok) await invalidateQuietly(this.deps.cache, [result.value.path]);
    return result;
  }
}

/** Deletes `root` and its descendants (deepest first) in the current transaction; shared with the tenant.deleted consumer. */
export async function deleteSubtree(
  tx: TransactionScope,
  root: ConfigNode,
  meta: ChangeMeta,
  factory: EventFactory,
): Promise<Result<DeleteNodeResult, ConfigError>> {
  const subtree = await tx.nodes.findSubtree(root.path);
  const descendants = subtree.filter((n) => n.id !== root.id);
  for (const node of [...subtree].reverse()) {
    const deleted = deleteNode(node, meta);
    if (!deleted.ok) return deleted;
    if (!(await tx.nodes.remove(node.id, node.version))) return err(versionConflict(node.path));
    await tx.versions.append(deleted.value.version);
  }
  const event = nodeDeleted(
    { ...root, version: root.version + 1 },
    descendants.map((n) => ({ nodeId: n.id, path: n.path })),
    actorOf(meta),
  );
  await tx.outbox.enqueue(factory.envelopes([event], meta.now));
  return ok({ nodeId: root.id, path: root.path, deletedDescendants: descendants.map((n) => n.id) });
}
