import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from '../domain/numbering-errors.js';
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
  /**
   * Compare-and-swap guard: expire only while the number is still at this version (the version the job read,
   * or the one the reservation's TTL timer was armed with). A number that moved on answers CONFLICT, so a
   * late timer never touches a later reservation or a lease.
   */
  readonly expectedVersion?: number;
}

/**
 * ExpireHold: ends a reservation past its TTL (cool-off `reservation_expired`) or a lease past its term
 * (cool-off `released`). Refused while the deadline has not passed. Driven by the reservation TTL timers
 * (Redis keyspace expiry events), the reservation-expiry safety-net job and the renewal job; one call per
 * number. With `expectedVersion` the two expiry paths cannot both release one reservation: whichever writes
 * second finds the version moved on (compare-and-swap) and answers CONFLICT.
 */
export class ExpireHold {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: ExpireHoldInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const allowed = authorize(input.actor, 'number.expire');
    if (!allowed.ok) return allowed;
    const { expectedVersion } = input;
    if (expectedVersion !== undefined && (!Number.isInteger(expectedVersion) || expectedVersion < 1))
      return err(numberingError('NUMBERING.INVALID_ARGUMENT', 'expectedVersion must be a positive integer', { field: 'expectedVersion' }));
    return changeNumber(this.deps, {
      meta: {
        name: 'number.expire',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: { number: sender.value.value, ...(expectedVersion === undefined ? {} : { expectedVersion }) },
      },
      number: sender.value.value,
      action: 'expire',
      build: (number) =>
        Promise.resolve(
          expectedVersion !== undefined && number.version !== expectedVersion
            ? err(numberingError('NUMBERING.CONFLICT', 'the number changed since this expiry was scheduled', { expectedVersion, version: number.version }))
            : ok({ action: 'expire' }),
        ),
    });
  }
}
