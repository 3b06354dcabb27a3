import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { integerInRange, requireText } from './input.js';
import { toNumberView } from './number-view.js';
import type { NumberView } from './number-view.js';
import type { NumberRepository } from './ports/number.repository.port.js';

export interface ListTenantHoldingsInput {
  readonly actor: Actor;
  readonly tenantId: string;
  /** Only reservations or only leases; both when absent. */
  readonly state?: 'reserved' | 'assigned';
  /** Keyset cursor: the last number of the previous page. */
  readonly after?: string;
  readonly limit?: number;
}

export interface ListTenantHoldingsOutput {
  readonly items: readonly NumberView[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
}

const PAGE = { default: 50, min: 1, max: 500 };

/** ListTenantHoldings: a tenant's own reservations and leases (the tenant portal's list). */
export class ListTenantHoldings {
  constructor(private readonly deps: { readonly numbers: NumberRepository }) {}

  async execute(input: ListTenantHoldingsInput): Promise<Result<ListTenantHoldingsOutput, NumberingError>> {
    const tenantId = requireText(input.tenantId, 'tenantId');
    if (!tenantId.ok) return tenantId;
    if (input.state !== undefined && input.state !== 'reserved' && input.state !== 'assigned')
      return err(numberingError('NUMBERING.INVALID_ARGUMENT', 'state must be reserved or assigned', { field: 'state' }));
    const limit = integerInRange(input.limit, 'limit', PAGE);
    if (!limit.ok) return limit;
    const allowed = authorize(input.actor, 'holdings.list', tenantId.value);
    if (!allowed.ok) return allowed;

    const page = await this.deps.numbers.listHeldByTenant({
      tenantId: tenantId.value,
      state: input.state ?? null,
      afterValue: input.after ?? null,
      limit: limit.value + 1,
    });
    const items = page.slice(0, limit.value).map(toNumberView);
    const last = items[items.length - 1];
    return ok({ items, next: page.length > limit.value && last !== undefined ? last.number : null });
  }
}
