import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Same key and same body within this window replays the first response (ARCHITECTURE.md). */
export const IDEMPOTENCY_WINDOW_MS = 48 * 3600 * 1000;

const VISIBLE_ASCII = /^[\x21-\x7E]+$/;

/** The client's `Idempotency-Key`: 1 to 255 visible ASCII characters (a UUID fits). */
export class IdempotencyKey {
  private constructor(readonly value: string) {}

  static parse(raw: string): Result<IdempotencyKey, InvalidValue> {
    if (raw.length === 0 || raw.length > MAX_IDEMPOTENCY_KEY_LENGTH || !VISIBLE_ASCII.test(raw)) {
      return err(
        invalid('ORCH.INVALID_IDEMPOTENCY_KEY', `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters without spaces`),
      );
    }
    return ok(new IdempotencyKey(raw));
  }
}
