import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { createInventoryPool } from '../domain/catalog.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { appendAuditEntries } from './audit-trail.js';
import { catalogAuditEntry } from './catalog-change.js';
import type { CatalogChangeDeps } from './catalog-change.js';
import { toPoolView } from './catalog-views.js';
import type { InventoryPoolView } from './catalog-views.js';
import { runIdempotentCommand } from './idempotent-command.js';

export interface CreateInventoryPoolInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly reference: string;
  readonly name: string;
  /** `msisdn`, `short_code`, or null for both. */
  readonly kind: string | null;
  /** Tenant segments allowed to take numbers from the pool; empty for all. */
  readonly segments: readonly string[];
}

/** CreateInventoryPool: an allocation grouping of numbers, optionally restricted to tenant segments. */
export class CreateInventoryPool {
  constructor(private readonly deps: CatalogChangeDeps) {}

  async execute(input: CreateInventoryPoolInput): Promise<Result<InventoryPoolView, NumberingError>> {
    const allowed = authorize(input.actor, 'catalog.manage');
    if (!allowed.ok) return allowed;
    const { actor, idempotencyKey, ...request } = input;
    return runIdempotentCommand(this.deps, { name: 'catalog.pool.create', actor, idempotencyKey, request }, async (tx, now) => {
      const pool = createInventoryPool(this.deps.ids.next(), request, now);
      if (!pool.ok) return pool;
      if ((await tx.catalog.insertPool(pool.value)) === 'duplicate')
        return err(numberingError('NUMBERING.CATALOG_DUPLICATE', 'a pool with this reference exists', { field: 'reference' }));
      const view = toPoolView(pool.value);
      await appendAuditEntries(tx.audit, [
        catalogAuditEntry(this.deps.ids, now, {
          actor,
          action: 'catalog.pool.create',
          aggregateType: 'inventory_pool',
          aggregateId: view.id,
          tenantId: null,
          idempotencyKey,
          details: { ...view },
        }),
      ]);
      return ok(view);
    });
  }
}
