import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';
import { codePointLength, hasControlCharacter } from './text-checks.js';

export const MAX_CLIENT_REFERENCE_LENGTH = 64;

/**
 * The client's own label for a message, echoed back in the status and events: 1 to 64 characters
 * (code points), no control characters. It is not unique; deduplication is the idempotency key's job.
 */
export class ClientReference {
  private constructor(readonly value: string) {}

  static parse(raw: string): Result<ClientReference, InvalidValue> {
    const length = codePointLength(raw);
    if (length === 0 || length > MAX_CLIENT_REFERENCE_LENGTH) {
      return err(invalid('ORCH.INVALID_CLIENT_REFERENCE', `must be 1 to ${MAX_CLIENT_REFERENCE_LENGTH} characters`));
    }
    if (hasControlCharacter(raw)) return err(invalid('ORCH.INVALID_CLIENT_REFERENCE', 'must not contain control characters'));
    return ok(new ClientReference(raw));
  }
}
