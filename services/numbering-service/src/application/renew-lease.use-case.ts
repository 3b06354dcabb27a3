import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { integerInRange, requireText } from './input.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';

export interface RenewLeaseInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly number: string;
  /** The lease holder (the renewal job passes the tenant of the lease it renews). */
  readonly tenantId: string;
  /** Extension; the policy's lease term when absent. */
  readonly termDays?: number;
}

/** RenewLease: extends a running lease by a term, counted from its current end. */
export class RenewLease {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: RenewLeaseInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const tenantId = requireText(input.tenantId, 'tenantId');
    if (!tenantId.ok) return tenantId;
    const termDays = integerInRange(input.termDays, 'termDays', this.deps.policy.leaseTermDays);
    if (!termDays.ok) return termDays;
    const allowed = authorize(input.actor, 'lease.renew', tenantId.value);
    if (!allowed.ok) return allowed;

    return changeNumber(this.deps, {
      meta: {
        name: 'lease.renew',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: { number: sender.value.value, tenantId: tenantId.value, termDays: termDays.value },
      },
      number: sender.value.value,
      action: 'renew',
      build: () => Promise.resolve(ok({ action: 'renew', tenantId: tenantId.value, termDays: termDays.value })),
    });
  }
}
