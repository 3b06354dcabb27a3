import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { gsm7Septets } from './gsm7-alphabet.js';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';

export type MessageEncoding = 'GSM-7' | 'UCS-2';

/** Capacity of one SMS on its own, and of each part of a concatenated SMS (a 6-octet UDH takes the rest). */
export const SEGMENT_LIMITS = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
} as const satisfies Record<MessageEncoding, { single: number; concatenated: number }>;

/** The concatenation header counts parts in one octet, so no message can have more than 255 parts. */
export const MAX_PARTS_CEILING = 255;

export interface Segmentation {
  readonly encoding: MessageEncoding;
  /** Septets (GSM-7, escape pairs counting two) or UTF-16 code units (UCS-2) of the whole body. */
  readonly units: number;
  readonly segmentCount: number;
  /** The body cut into the parts an SMSC would send, in order; their concatenation is the body. */
  readonly parts: readonly string[];
}

interface Unit {
  readonly text: string;
  readonly size: number;
}

/**
 * GSM-7 when every character is in the default alphabet or its extension table, UCS-2 otherwise.
 * National language shift tables are not used: few SMSCs support them, and Dari and Pashto are
 * sent in UCS-2 anyway.
 */
export function detectEncoding(body: string): MessageEncoding {
  return gsm7Units(body) === null ? 'UCS-2' : 'GSM-7';
}

// GSM-7: one unit per character, an extension character being one indivisible unit of two
// septets (escape + code), so a part never ends between the escape and its character. Null when
// a character is outside the alphabet.
function gsm7Units(body: string): Unit[] | null {
  const units: Unit[] = [];
  for (const character of body) {
    const size = gsm7Septets(character);
    if (size === null) return null;
    units.push({ text: character, size });
  }
  return units;
}

// UCS-2: one unit per code point, a surrogate pair being one indivisible unit of two code units,
// so every part is well-formed UTF-16 on its own. (Grapheme clusters such as flag emoji may
// still be split between parts; the handset reassembles the parts before display.)
function ucs2Units(body: string): Unit[] {
  return Array.from(body, (character) => ({ text: character, size: character.length }));
}

/** Encoding, size and parts of a body. An empty body is one (empty) part. */
export function segment(body: string): Segmentation {
  const gsm7 = gsm7Units(body);
  const encoding: MessageEncoding = gsm7 === null ? 'UCS-2' : 'GSM-7';
  const units = gsm7 ?? ucs2Units(body);
  const total = units.reduce((sum, unit) => sum + unit.size, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (total <= limits.single) return { encoding, units: total, segmentCount: 1, parts: [body] };

  const parts: string[] = [];
  let current = '';
  let currentSize = 0;
  for (const unit of units) {
    if (currentSize + unit.size > limits.concatenated) {
      parts.push(current);
      current = '';
      currentSize = 0;
    }
    current += unit.text;
    currentSize += unit.size;
  }
  parts.push(current);
  return { encoding, units: total, segmentCount: parts.length, parts };
}

/**
 * Refuses a segmentation with more parts than `maxParts` (a tenant setting, 1 to 255), naming
 * the limit so the client knows how much to shorten.
 *
 * @throws RangeError when `maxParts` is not a whole number from 1 to 255 (a configuration fault).
 */
export function checkPartLimit(segmentation: Segmentation, maxParts: number): Result<Segmentation, InvalidValue> {
  if (!Number.isInteger(maxParts) || maxParts < 1 || maxParts > MAX_PARTS_CEILING) {
    throw new RangeError(`maximum parts per message must be a whole number from 1 to ${MAX_PARTS_CEILING}, got ${maxParts}`);
  }
  if (segmentation.segmentCount <= maxParts) return ok(segmentation);
  return err(
    invalid(
      'ORCH.TOO_MANY_PARTS',
      `needs ${segmentation.segmentCount} parts in ${segmentation.encoding}, more than this tenant's limit of ${maxParts} parts per message`,
    ),
  );
}
