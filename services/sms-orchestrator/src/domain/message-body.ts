import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';
import { MAX_PARTS_CEILING, SEGMENT_LIMITS } from './segmentation.js';

/**
 * No body longer than this many UTF-16 code units can fit in 255 parts in either encoding
 * (each code unit is at least one septet in GSM-7, and UCS-2 parts are smaller), so it is refused
 * before segmentation does any work.
 */
export const MAX_BODY_CODE_UNITS = MAX_PARTS_CEILING * SEGMENT_LIMITS['GSM-7'].concatenated;

const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

// C0 controls other than tab, line feed, form feed and carriage return, and DEL. They have no
// place in a text message, and U+0000 cannot even be stored in a PostgreSQL text column.
function hasForbiddenControl(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !ALLOWED_CONTROLS.has(code)) || code === 0x7f) return true;
  }
  return false;
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The text of a message: not blank, well-formed UTF-16, no stray control characters, bounded. */
export class MessageBody {
  private constructor(readonly text: string) {}

  static parse(raw: string): Result<MessageBody, InvalidValue> {
    if (raw.trim() === '') return err(invalid('ORCH.INVALID_BODY', 'must not be empty or only whitespace'));
    if (raw.length > MAX_BODY_CODE_UNITS) {
      return err(invalid('ORCH.INVALID_BODY', `must be at most ${MAX_BODY_CODE_UNITS} characters (255 parts)`));
    }
    if (LONE_SURROGATE.test(raw)) return err(invalid('ORCH.INVALID_BODY', 'contains an unpaired UTF-16 surrogate'));
    if (hasForbiddenControl(raw)) {
      return err(invalid('ORCH.INVALID_BODY', 'contains a control character (only tab, line feed, form feed and carriage return are allowed)'));
    }
    return ok(new MessageBody(raw));
  }
}
