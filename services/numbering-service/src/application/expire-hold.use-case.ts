import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';

export interface ExpireHoldInput {
  readonly actor: Actor;
  /** The expiry job derives it from the number and its version, so a rerun of the job is a replay. */
  readonly idempotencyKey: string;
  readonly number: string;
}

/**
 * ExpireHold: ends a reservation past its TTL (cool-off `reservation_expired`) or a lease past its term
 * (cool-off `released`). Refused while the deadline has not passed. Driven by the reservation-expiry and
 * renewal jobs (issue 7); one call per number.
 */
export class ExpireHold {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: ExpireHoldInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const allowed = authorize(input.actor, 'number.expire');
    if (!allowed.ok) return allowed;
    return changeNumber(this.deps, {
      meta: { name: 'number.expire', actor: input.actor, idempotencyKey: input.idempotencyKey, request: { number: sender.value.value } },
      number: sender.value.value,
      action: 'expire',
      build: () => Promise.resolve(ok({ action: 'expire' })),
    });
  }
}
