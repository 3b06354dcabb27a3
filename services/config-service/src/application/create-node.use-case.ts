import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { nodeCreated } from '../domain/config-events.js';
import type { ConfigLevels } from '../domain/config-levels.js';
import { createChildNode } from '../domain/config-node.js';
import type { ChangeMeta, ConfigNode } from '../domain/config-node.js';
import type { NodeVersion } from '../domain/node-version.js';
import { AccessGuard } from './access-guard.js';
import { EventFactory } from './event-factory.js';
import { actorOf, metaFor, toResult } from './node-change.js';
import type { NodeChangeDeps, NodeChangeResult } from './node-change.js';
import { loadNode } from './node-reference.js';
import type { TransactionScope } from './ports/unit-of-work.port.js';

export interface CreateNodeRequest {
  readonly subject: Subject;
  /** The parent: path, `tenant:<tenantId>` or `node:<id>`. */
  readonly parent: string;
  readonly level: string;
  readonly name: string;
  /** Only for a level that owns a tenant. */
  readonly tenantId?: string | null;
  readonly reason: string;
}

/** Creates a node under a parent (access `node.create` is asked of the parent). */
export class CreateNodeUseCase {
  constructor(private readonly deps: NodeChangeDeps & { readonly levels: ConfigLevels }) {}

  async execute(request: CreateNodeRequest): Promise<Result<NodeChangeResult, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const now = this.deps.clock.now();
    const meta = metaFor(request.subject, request.reason, now);
    if (!meta.ok) return meta;
    const guard = new AccessGuard(this.deps.accessPolicy);
    return this.deps.uow.run<NodeChangeResult, ConfigError>(
      async (tx) => {
        const parent = await loadNode(tx.nodes, request.parent);
        if (!parent.ok) return err(configError('CONFIG.PARENT_NOT_FOUND', `no parent node ${request.parent}`, { parent: request.parent }));
        const allowed = guard.checkNode(request.subject, 'node.create', parent.value, request.parent);
        if (!allowed.ok) {
          return allowed.error.code === 'CONFIG.NODE_NOT_FOUND'
            ? err(configError('CONFIG.PARENT_NOT_FOUND', `no parent node ${request.parent}`, { parent: request.parent }))
            : allowed;
        }
        const draft = { id: this.deps.ids.next(), level: request.level, name: request.name, tenantId: request.tenantId ?? null };
        const created = createChildNode(parent.value, draft, this.deps.levels, meta.value);
        if (!created.ok) return created;
        return insertCreatedNode(tx, created.value, meta.value, new EventFactory(this.deps.ids, this.deps.clock));
      },
      { tenantId: request.subject.tenantId },
    );
  }
}

/** Stores a freshly created node with its first version and event; shared with the tenant.created consumer. */
export async function insertCreatedNode(
  tx: TransactionScope,
  created: { readonly node: ConfigNode; readonly version: NodeVersion },
  meta: ChangeMeta,
  factory: EventFactory,
): Promise<Result<NodeChangeResult, ConfigError>> {
  const { node, version } = created;
  if (node.isTenantRoot && node.tenantId !== null && (await tx.nodes.findTenantRoot(node.tenantId)) !== null) {
    return err(configError('CONFIG.PATH_CONFLICT', 'this tenant already has a node', { tenantId: node.tenantId }));
  }
  if ((await tx.nodes.insert(node)) === 'path-taken') {
    return err(configError('CONFIG.PATH_CONFLICT', `${node.path} already exists`, { path: node.path }));
  }
  await tx.versions.append(version);
  await tx.outbox.enqueue(factory.envelopes([nodeCreated(node, actorOf(meta))], meta.now));
  return ok(toResult(node, true));
}
