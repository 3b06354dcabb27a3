import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { toTenantPoolView } from './catalog-views.js';
import type { TenantPoolView } from './catalog-views.js';
import { requireText } from './input.js';
import type { CatalogRepository } from './ports/catalog.repository.port.js';

/** ListTenantPools: the tenant pools of one tenant (a tenant sees only its own). */
export class ListTenantPools {
  constructor(private readonly deps: { readonly catalog: CatalogRepository }) {}

  async execute(input: { readonly actor: Actor; readonly tenantId: string }): Promise<Result<readonly TenantPoolView[], NumberingError>> {
    const tenantId = requireText(input.tenantId, 'tenantId');
    if (!tenantId.ok) return tenantId;
    const allowed = authorize(input.actor, 'tenant_pool.read', tenantId.value);
    if (!allowed.ok) return allowed;
    const pools = await this.deps.catalog.listTenantPools(tenantId.value);
    return ok(pools.map(toTenantPoolView));
  }
}
