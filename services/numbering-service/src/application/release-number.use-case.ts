import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { requireText } from './input.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';
import type { TenantActivitySink } from './tenant-activity.js';
import { recordActivity } from './tenant-activity.js';

export interface ReleaseNumberInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly number: string;
  /** The tenant giving the number back; it must hold the reservation or lease. */
  readonly tenantId: string;
}

/**
 * Release: the holder gives a number back. A reservation ends as cancelled (cool-off
 * `reservation_cancelled`), a lease as released (cool-off `released`); either way the number is quarantined.
 */
export class ReleaseNumber {
  constructor(
    private readonly deps: NumberChangeDeps,
    /** Told each attempt's outcome, for the churn and conflict-rate anomaly signals. */
    private readonly activity?: TenantActivitySink,
  ) {}

  async execute(input: ReleaseNumberInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const tenantId = requireText(input.tenantId, 'tenantId');
    if (!tenantId.ok) return tenantId;
    const allowed = authorize(input.actor, 'number.release', tenantId.value);
    if (!allowed.ok) return allowed;

    const result = await changeNumber(this.deps, {
      meta: {
        name: 'number.release',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: { number: sender.value.value, tenantId: tenantId.value },
      },
      number: sender.value.value,
      action: 'release',
      build: () => Promise.resolve(ok({ action: 'release', tenantId: tenantId.value })),
    });
    recordActivity(this.activity, tenantId.value, 'release', result);
    return result;
  }
}
