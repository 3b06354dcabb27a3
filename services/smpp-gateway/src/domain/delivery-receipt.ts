import { receiptStateFromMessageState, receiptStateFromText } from './receipt-state.js';
import type { ReceiptState } from './receipt-state.js';

/** A delivery receipt as the gateway understands it, from the receipt text, the TLVs, or both. */
export interface DeliveryReceipt {
  /** The SMSC message id as the SMSC wrote it (not normalised). */
  readonly smscMessageId: string;
  readonly state: ReceiptState;
  /** `err:` of the text or the network error code TLV, as written; null when absent or all zeros. */
  readonly errorCode: string | null;
  readonly submitted: number | null;
  readonly delivered: number | null;
  readonly submitDate: Date | null;
  readonly doneDate: Date | null;
}

/** The receipt fields of a `deliver_sm` with `esm_class` 0x04, as the SMPP adapter hands them over. */
export interface ReceiptPdu {
  /** `esm_class`; bits 2–5 equal to 0x04 mark an SMSC delivery receipt. */
  readonly esmClass: number;
  /** The short message decoded as text (the receipt text is ASCII). */
  readonly text: string;
  /** `receipted_message_id` TLV (0x001E). */
  readonly receiptedMessageId?: string | undefined;
  /** `message_state` TLV (0x0427). */
  readonly messageState?: number | undefined;
  /** `network_error_code` TLV (0x0423): network type then a 2-octet error code. */
  readonly networkErrorCode?: Uint8Array | undefined;
}

export type ReceiptParseFailure =
  | { readonly kind: 'not-a-receipt' }
  | { readonly kind: 'missing-id' }
  | { readonly kind: 'missing-state' };

export type ReceiptParseResult = { readonly ok: true; readonly value: DeliveryReceipt } | { readonly ok: false; readonly error: ReceiptParseFailure };

/** Message type bits of `esm_class` (mask 0x3C): 0x04 is "SMSC Delivery Receipt". */
export function isDeliveryReceipt(esmClass: number): boolean {
  return (esmClass & 0x3c) === 0x04;
}

const FIELD = /(id|sub|dlvrd|submit date|done date|stat|err|text):\s*/gi;

/**
 * Reads the receipt text of SMPP 3.4 Appendix B,
 * `id:IIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:…`.
 * Keys are matched in any case and order; any may be missing (null). Dates take seconds when given
 * (YYMMDDhhmmss) and are read as UTC (the SMSC's time zone is not in the text); an impossible date
 * reads as null.
 */
export function parseReceiptText(text: string): {
  readonly id: string | null;
  readonly state: ReceiptState | null;
  readonly err: string | null;
  readonly sub: number | null;
  readonly dlvrd: number | null;
  readonly submitDate: Date | null;
  readonly doneDate: Date | null;
} {
  const values = new Map<string, string>();
  const matches = [...text.matchAll(FIELD)];
  matches.forEach((match, index) => {
    const key = (match[1] ?? '').toLowerCase();
    const start = (match.index ?? 0) + match[0].length;
    const end = key === 'text' ? text.length : (matches[index + 1]?.index ?? text.length);
    if (!values.has(key)) values.set(key, text.slice(start, end).trim());
  });
  const word = (key: string): string | null => {
    const value = values.get(key);
    if (value === undefined) return null;
    const first = value.split(/\s+/)[0] ?? '';
    return first === '' ? null : first;
  };
  const count = (key: string): number | null => {
    const value = word(key);
    return value !== null && /^[0-9]+$/.test(value) ? Number.parseInt(value, 10) : null;
  };
  const stat = word('stat');
  return {
    id: word('id'),
    state: stat === null ? null : receiptStateFromText(stat),
    err: word('err'),
    sub: count('sub'),
    dlvrd: count('dlvrd'),
    submitDate: receiptDate(word('submit date')),
    doneDate: receiptDate(word('done date')),
  };
}

/** `YYMMDDhhmm` or `YYMMDDhhmmss` as UTC in 2000–2099; null when absent or not a real date. */
export function receiptDate(value: string | null): Date | null {
  if (value === null) return null;
  const match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(value);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => (part === undefined ? 0 : Number.parseInt(part, 10))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(2000 + year, month - 1, day, hour, minute, second));
  const valid =
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return valid ? date : null;
}

function errorCodeOf(text: string | null, networkErrorCode: Uint8Array | undefined): string | null {
  if (text !== null && !/^0+$/.test(text)) return text;
  if (networkErrorCode !== undefined && networkErrorCode.length === 3) {
    const code = ((networkErrorCode[1] ?? 0) << 8) | (networkErrorCode[2] ?? 0);
    if (code !== 0) return `${networkErrorCode[0] ?? 0}:${code}`;
  }
  return null;
}

/**
 * A delivery receipt from a `deliver_sm`. The TLVs win over the text where both are present
 * (they are typed and not truncated); the text fills in what the TLVs lack.
 */
export function parseDeliveryReceipt(pdu: ReceiptPdu): ReceiptParseResult {
  if (!isDeliveryReceipt(pdu.esmClass)) return { ok: false, error: { kind: 'not-a-receipt' } };
  const text = parseReceiptText(pdu.text);
  const tlvId = pdu.receiptedMessageId?.trim();
  const smscMessageId = tlvId !== undefined && tlvId !== '' ? tlvId : text.id;
  if (smscMessageId === null) return { ok: false, error: { kind: 'missing-id' } };
  const tlvState = pdu.messageState === undefined ? null : receiptStateFromMessageState(pdu.messageState);
  const state = tlvState ?? text.state;
  if (state === null) return { ok: false, error: { kind: 'missing-state' } };
  return {
    ok: true,
    value: {
      smscMessageId,
      state,
      errorCode: errorCodeOf(text.err, pdu.networkErrorCode),
      submitted: text.sub,
      delivered: text.dlvrd,
      submitDate: text.submitDate,
      doneDate: text.doneDate,
    },
  };
}

function two(value: number): string {
  return value.toString().padStart(2, '0');
}

function formatReceiptDate(date: Date): string {
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}`;
}

/** The receipt text an SMSC writes (used by the simulator), `text:` holding the first 20 characters. */
export function formatReceiptText(receipt: {
  readonly id: string;
  readonly state: ReceiptState;
  readonly err: string;
  readonly submitDate: Date;
  readonly doneDate: Date;
  readonly text: string;
}): string {
  const delivered = receipt.state === 'DELIVRD' ? '001' : '000';
  return (
    `id:${receipt.id} sub:001 dlvrd:${delivered} submit date:${formatReceiptDate(receipt.submitDate)} ` +
    `done date:${formatReceiptDate(receipt.doneDate)} stat:${receipt.state} err:${receipt.err} text:${receipt.text.slice(0, 20)}`
  );
}
