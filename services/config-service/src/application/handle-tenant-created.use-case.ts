import { err, ok } from '@sms/kernel';
import type { EventEnvelope, Result } from '@sms/kernel';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { ConfigLevels } from '../domain/config-levels.js';
import { checkMeta, createChildNode } from '../domain/config-node.js';
import { ROOT_PATH, childPath } from '../domain/node-path.js';
import { insertCreatedNode } from './create-node.use-case.js';
import { EventFactory } from './event-factory.js';
import type { NodeChangeDeps } from './node-change.js';
import { TENANT_CREATED, TENANT_EVENTS_AUTHOR, TENANT_EVENTS_CONSUMER, parseTenantCreated } from './tenant-events.js';
import type { InboxOutcome } from './tenant-events.js';

/**
 * Consumes `tenant.created.v1`: creates the tenant's node under the placement it names (or under
 * GLOBAL). Idempotent twice over: a redelivered event id is recorded in the inbox, and a tenant
 * that already has a node is left as it is. A missing placement parent is an error Result: the
 * transaction (inbox record included) rolls back, so the adapter's retry can succeed once the
 * parent exists, and the message dead-letters after the last attempt.
 */
export class HandleTenantCreatedUseCase {
  constructor(private readonly deps: Omit<NodeChangeDeps, 'accessPolicy' | 'cache'> & { readonly levels: ConfigLevels }) {}

  async execute(event: EventEnvelope): Promise<Result<InboxOutcome, ConfigError>> {
    if (event.type !== TENANT_CREATED) return err(configError('CONFIG.INVALID_EVENT', `expected ${TENANT_CREATED}, got ${event.type}`));
    const data = parseTenantCreated(event.data);
    if (!data.ok) return data;
    const now = this.deps.clock.now();
    const meta = checkMeta({ author: TENANT_EVENTS_AUTHOR, reason: `${TENANT_CREATED} ${event.id}`, now });
    if (!meta.ok) return meta;
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    const { tenantId, slug, placement } = data.value;
    return this.deps.uow.run<InboxOutcome, ConfigError>(
      async (tx) => {
        if (!(await tx.inbox.markHandled(TENANT_EVENTS_CONSUMER, event.id))) return ok('duplicate');
        if ((await tx.nodes.findTenantRoot(tenantId)) !== null) return ok('already-exists');
        const parentPath = placement === null ? ROOT_PATH : childPath(ROOT_PATH, placement.level, placement.name);
        const parent = await tx.nodes.findByPath(parentPath);
        if (parent === null) {
          return err(configError('CONFIG.PARENT_NOT_FOUND', `no parent node ${parentPath} for tenant ${tenantId}`, { parent: parentPath }));
        }
        const level = this.deps.levels.list().find((l) => l.ownsTenant && l.parents.includes(parent.level));
        if (level === undefined) {
          return err(configError('CONFIG.LEVEL_NOT_ALLOWED', `no tenant level may hang under a ${parent.level} node`, { parentLevel: parent.level }));
        }
        const created = createChildNode(parent, { id: this.deps.ids.next(), level: level.name, name: slug, tenantId }, this.deps.levels, meta.value);
        if (!created.ok) return created;
        const inserted = await insertCreatedNode(tx, created.value, meta.value, factory);
        return inserted.ok ? ok('created') : inserted;
      },
      { tenantId: null },
    );
  }
}
