import { encodeGsm7, encodeUcs2, gsm7CharacterSeptets } from './gsm7.js';

export type MessageEncoding = 'GSM-7' | 'UCS-2';

/** SMPP `data_coding` values the gateway sends: 0x00 SMSC default alphabet (GSM 03.38), 0x08 UCS-2. */
export const DATA_CODING = { 'GSM-7': 0x00, 'UCS-2': 0x08 } as const satisfies Record<MessageEncoding, number>;

/** `esm_class` bit saying the short message starts with a user data header (UDHI). */
export const ESM_CLASS_UDHI = 0x40;

/**
 * Capacity of a single SMS and of each part of a concatenated one, in septets (GSM-7) or UTF-16
 * code units (UCS-2). The same numbers as the orchestrator's segmentation, so the gateway sends
 * exactly as many parts as the orchestrator counted (and billed).
 */
export const PART_LIMITS = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
} as const satisfies Record<MessageEncoding, { single: number; concatenated: number }>;

export const MAX_PARTS = 255;

/** One submit_sm's worth of a message. */
export interface MessagePart {
  /** 1-based position. */
  readonly sequence: number;
  readonly total: number;
  /** The text of this part alone. */
  readonly text: string;
  /** The 6-octet concatenation UDH (0x05 0x00 0x03 ref total seq), or null for a single-part message. */
  readonly udh: Uint8Array | null;
  /** `short_message`: the UDH (if any) followed by the encoded text. */
  readonly shortMessage: Uint8Array;
}

export interface SplitMessage {
  readonly encoding: MessageEncoding;
  readonly dataCoding: number;
  /** `esm_class` for every part: 0x00, or 0x40 (UDHI) when the message is concatenated. */
  readonly esmClass: number;
  readonly parts: readonly MessagePart[];
}

export type SplitFailure =
  | { readonly kind: 'not-gsm7'; readonly character: string }
  | { readonly kind: 'too-many-parts'; readonly parts: number };

export type SplitResult = { readonly ok: true; readonly value: SplitMessage } | { readonly ok: false; readonly error: SplitFailure };

interface Unit {
  readonly text: string;
  readonly size: number;
}

/**
 * The encoding the orchestrator chose for the body, if the gateway were to choose: GSM-7 when every
 * character is in the default alphabet or its extension table, UCS-2 otherwise.
 */
export function chooseEncoding(body: string): MessageEncoding {
  return encodeGsm7(body) === null ? 'UCS-2' : 'GSM-7';
}

/**
 * Cuts a body into SMPP parts in the given encoding. A part never ends between an escape and its
 * extension character (GSM-7) nor inside a surrogate pair (UCS-2), the same rule as the
 * orchestrator's `segment`. `reference` is the 8-bit concatenation reference (0–255) shared by
 * the parts; callers take it from a per-destination counter.
 *
 * @throws RangeError when `reference` is not an integer from 0 to 255 (a programming fault).
 */
export function splitMessage(body: string, encoding: MessageEncoding, reference: number): SplitResult {
  if (!Number.isInteger(reference) || reference < 0 || reference > 255) {
    throw new RangeError(`concatenation reference must be an integer from 0 to 255, got ${reference}`);
  }
  const units: Unit[] = [];
  for (const character of body) {
    if (encoding === 'GSM-7') {
      const septets = gsm7CharacterSeptets(character);
      if (septets === null) return { ok: false, error: { kind: 'not-gsm7', character } };
      units.push({ text: character, size: septets.length });
    } else {
      units.push({ text: character, size: character.length });
    }
  }
  const limits = PART_LIMITS[encoding];
  const total = units.reduce((sum, unit) => sum + unit.size, 0);
  const texts: string[] = [];
  if (total <= limits.single) {
    texts.push(body);
  } else {
    let current = '';
    let size = 0;
    for (const unit of units) {
      if (size + unit.size > limits.concatenated) {
        texts.push(current);
        current = '';
        size = 0;
      }
      current += unit.text;
      size += unit.size;
    }
    texts.push(current);
  }
  if (texts.length > MAX_PARTS) return { ok: false, error: { kind: 'too-many-parts', parts: texts.length } };

  const encode = (text: string): Uint8Array => (encoding === 'GSM-7' ? (encodeGsm7(text) ?? new Uint8Array()) : encodeUcs2(text));
  const concatenated = texts.length > 1;
  const parts = texts.map((text, index): MessagePart => {
    const payload = encode(text);
    if (!concatenated) return { sequence: 1, total: 1, text, udh: null, shortMessage: payload };
    const udh = Uint8Array.from([0x05, 0x00, 0x03, reference, texts.length, index + 1]);
    const shortMessage = new Uint8Array(udh.length + payload.length);
    shortMessage.set(udh, 0);
    shortMessage.set(payload, udh.length);
    return { sequence: index + 1, total: texts.length, text, udh, shortMessage };
  });
  return {
    ok: true,
    value: { encoding, dataCoding: DATA_CODING[encoding], esmClass: concatenated ? ESM_CLASS_UDHI : 0x00, parts },
  };
}

/** A concatenation UDH read back from a short message (for the simulator and tests). */
export interface ConcatenationHeader {
  readonly reference: number;
  readonly total: number;
  readonly sequence: number;
}

/**
 * Reads the 8-bit concatenation information element (IEI 0x00) from a UDH given with its length
 * octet first; null when the header has none or is malformed. The 16-bit form (IEI 0x08) is read too.
 */
export function readConcatenationHeader(udh: Uint8Array): ConcatenationHeader | null {
  const length = udh[0];
  if (length === undefined || udh.length < length + 1) return null;
  let cursor = 1;
  while (cursor + 1 < length + 1) {
    const iei = udh[cursor] ?? 0;
    const ieLength = udh[cursor + 1] ?? 0;
    const data = udh.subarray(cursor + 2, cursor + 2 + ieLength);
    if (iei === 0x00 && ieLength === 3) return { reference: data[0] ?? 0, total: data[1] ?? 0, sequence: data[2] ?? 0 };
    if (iei === 0x08 && ieLength === 4) {
      return { reference: ((data[0] ?? 0) << 8) | (data[1] ?? 0), total: data[2] ?? 0, sequence: data[3] ?? 0 };
    }
    cursor += 2 + ieLength;
  }
  return null;
}
