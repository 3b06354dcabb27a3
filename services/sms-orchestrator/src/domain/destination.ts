import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { hasE164Shape, isStrictE164 } from './e164.js';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';

/** The recipient MSISDN of a message, in strict E.164 (see {@link isStrictE164}). */
export class Destination {
  private constructor(readonly e164: string) {}

  static parse(raw: string): Result<Destination, InvalidValue> {
    if (!hasE164Shape(raw)) {
      return err(invalid('ORCH.INVALID_DESTINATION', 'must be an E.164 number: a leading + and 7 to 15 digits, no spaces or punctuation'));
    }
    if (!isStrictE164(raw)) {
      return err(invalid('ORCH.INVALID_DESTINATION', 'is not a valid phone number for its country code'));
    }
    return ok(new Destination(raw));
  }

  toString(): string {
    return this.e164;
  }
}
