import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { hasE164Shape, isStrictE164 } from './e164.js';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';

export type SenderKind = 'msisdn' | 'short_code';

// As the numbering inventory holds them (numbering-service's number-value.ts): 3 to 6 digits, no leading zero.
const SHORT_CODE = /^[1-9][0-9]{2,5}$/;

/**
 * The originator of a message: an MSISDN in strict E.164, or a short code of 3 to 6 digits without a leading zero.
 * Alphanumeric sender ids are not part of the numbering inventory, so they are refused.
 * Whether the sender is leased to the tenant is checked later, in the pipeline.
 */
export class Sender {
  private constructor(
    readonly kind: SenderKind,
    readonly value: string,
  ) {}

  static parse(raw: string): Result<Sender, InvalidValue> {
    if (SHORT_CODE.test(raw)) return ok(new Sender('short_code', raw));
    if (raw.startsWith('+')) {
      if (hasE164Shape(raw) && isStrictE164(raw)) return ok(new Sender('msisdn', raw));
      return err(invalid('ORCH.INVALID_SENDER', 'is not a valid E.164 MSISDN'));
    }
    if (/^[0-9]+$/.test(raw)) {
      return err(invalid('ORCH.INVALID_SENDER', 'a short code has 3 to 6 digits and no leading zero; an MSISDN must be E.164 with a leading +'));
    }
    return err(invalid('ORCH.INVALID_SENDER', 'must be an E.164 MSISDN or a short code of 3 to 6 digits (alphanumeric senders are not supported)'));
  }
}
