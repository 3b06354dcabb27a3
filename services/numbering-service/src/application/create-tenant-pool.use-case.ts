import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { createTenantPool } from '../domain/catalog.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { appendAuditEntries } from './audit-trail.js';
import { catalogAuditEntry } from './catalog-change.js';
import type { CatalogChangeDeps } from './catalog-change.js';
import { toTenantPoolView } from './catalog-views.js';
import type { TenantPoolView } from './catalog-views.js';
import { runIdempotentCommand } from './idempotent-command.js';

export interface CreateTenantPoolInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly tenantId: string;
  readonly name: string;
  readonly segment: string;
  /** Defaults to every tier the segment may hold. */
  readonly allowedTiers?: readonly string[];
}

/** CreateTenantPool: opens a tenant pool (enterprise, SMB or government) for a tenant (commerce/admin). */
export class CreateTenantPool {
  constructor(private readonly deps: CatalogChangeDeps) {}

  async execute(input: CreateTenantPoolInput): Promise<Result<TenantPoolView, NumberingError>> {
    const allowed = authorize(input.actor, 'tenant_pool.manage', input.tenantId);
    if (!allowed.ok) return allowed;
    const { actor, idempotencyKey, ...request } = input;
    return runIdempotentCommand(this.deps, { name: 'tenant_pool.create', actor, idempotencyKey, request }, async (tx, now) => {
      const pool = createTenantPool(this.deps.ids.next(), request, now);
      if (!pool.ok) return pool;
      if ((await tx.catalog.insertTenantPool(pool.value)) === 'duplicate')
        return err(numberingError('NUMBERING.CATALOG_DUPLICATE', 'the tenant already has a tenant pool with this name', { field: 'name' }));
      const view = toTenantPoolView(pool.value);
      await appendAuditEntries(tx.audit, [
        catalogAuditEntry(this.deps.ids, now, {
          actor,
          action: 'tenant_pool.create',
          aggregateType: 'tenant_pool',
          aggregateId: view.id,
          tenantId: view.tenantId,
          idempotencyKey,
          details: { ...view },
        }),
      ]);
      return ok(view);
    });
  }
}
