import { err, ok } from '@sms/kernel';
import type { EventEnvelope, Result } from '@sms/kernel';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { checkMeta } from '../domain/config-node.js';
import { deleteSubtree } from './delete-node.use-case.js';
import { EventFactory } from './event-factory.js';
import { invalidateQuietly } from './node-change.js';
import type { NodeChangeDeps } from './node-change.js';
import { TENANT_DELETED, TENANT_EVENTS_AUTHOR, TENANT_EVENTS_CONSUMER, parseTenantDeleted } from './tenant-events.js';
import type { InboxOutcome } from './tenant-events.js';

/**
 * Consumes `tenant.deleted.v1`: deletes the tenant's node and its whole subtree (history stays).
 * Idempotent: a redelivered event id is recorded in the inbox, and a tenant without a node is a no-op.
 */
export class HandleTenantDeletedUseCase {
  constructor(private readonly deps: Omit<NodeChangeDeps, 'accessPolicy'>) {}

  async execute(event: EventEnvelope): Promise<Result<InboxOutcome, ConfigError>> {
    if (event.type !== TENANT_DELETED) return err(configError('CONFIG.INVALID_EVENT', `expected ${TENANT_DELETED}, got ${event.type}`));
    const data = parseTenantDeleted(event.data);
    if (!data.ok) return data;
    const now = this.deps.clock.now();
    const meta = checkMeta({ author: TENANT_EVENTS_AUTHOR, reason: `${TENANT_DELETED} ${event.id}`, now });
    if (!meta.ok) return meta;
    const factory = new EventFactory(this.deps.ids, this.deps.clock);
    let deletedPath: string | null = null;
    const result = await this.deps.uow.run<InboxOutcome, ConfigError>(
      async (tx) => {
        if (!(await tx.inbox.markHandled(TENANT_EVENTS_CONSUMER, event.id))) return ok('duplicate');
        const root = await tx.nodes.findTenantRoot(data.value.tenantId);
        if (root === null) return ok('absent');
        const deleted = await deleteSubtree(tx, root, meta.value, factory);
        if (!deleted.ok) return deleted;
        deletedPath = deleted.value.path;
        return ok('deleted');
      },
      { tenantId: null },
    );
    if (result.ok && deletedPath !== null) await invalidateQuietly(this.deps.cache, [deletedPath]);
    return result;
  }
}
