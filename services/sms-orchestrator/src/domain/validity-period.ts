import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';

export const MIN_VALIDITY_SECONDS = 60;
export const MAX_VALIDITY_SECONDS = 72 * 3600;
/** Used when a request names no validity period. */
export const DEFAULT_VALIDITY_SECONDS = 24 * 3600;

/**
 * How long the network may keep trying to deliver, in whole seconds from acceptance: 1 minute to
 * 72 hours, 24 hours when omitted. The pipeline also stops retrying once it has elapsed (the
 * message ends `expired`), and the SMPP gateway passes it on as `validity_period`.
 */
export class ValidityPeriod {
  private constructor(readonly seconds: number) {}

  static parse(raw: number | undefined): Result<ValidityPeriod, InvalidValue> {
    if (raw === undefined) return ok(new ValidityPeriod(DEFAULT_VALIDITY_SECONDS));
    if (!Number.isInteger(raw) || raw < MIN_VALIDITY_SECONDS || raw > MAX_VALIDITY_SECONDS) {
      return err(
        invalid('ORCH.INVALID_VALIDITY_PERIOD', `must be a whole number of seconds from ${MIN_VALIDITY_SECONDS} to ${MAX_VALIDITY_SECONDS}`),
      );
    }
    return ok(new ValidityPeriod(raw));
  }

  expiresAt(acceptedAt: Date): Date {
    return new Date(acceptedAt.getTime() + this.seconds * 1000);
  }
}
