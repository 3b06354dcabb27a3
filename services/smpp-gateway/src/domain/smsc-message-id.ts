/**
 * SMSC message ids as the gateway stores and matches them (docs/domain-model.md, "SMSC message
 * ids"). SMSCs are inconsistent between the `submit_sm_resp` and the receipt: they change case,
 * drop or add leading zeros, and some write the id in hexadecimal in one and in decimal in the other.
 *
 * Rule: the canonical form is the id trimmed and lower-cased, with leading zeros removed (a lone
 * "0" stays). The submit response's id is stored in canonical form. A receipt's id is converted to
 * the submit response's form as the connection is configured (`SmscIdForms`, like Kannel's
 * `msg-id-type`), then canonicalised, and looked up on that connection. The conversion is
 * configured rather than guessed: "10" read as decimal and as hexadecimal names two different
 * messages, and guessing would match a receipt to the wrong one.
 */
export function canonicalSmscMessageId(raw: string): string {
  const trimmed = raw.trim().toLowerCase();
  const stripped = trimmed.replace(/^0+/, '');
  return stripped === '' && trimmed !== '' ? '0' : stripped;
}

/** How an SMSC writes the same id in submit_sm_resp and in receipts. */
export type SmscIdForms = 'same' | 'submit-hex-receipt-decimal' | 'submit-decimal-receipt-hex';

export const SMSC_ID_FORMS: readonly SmscIdForms[] = ['same', 'submit-hex-receipt-decimal', 'submit-decimal-receipt-hex'];

const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9a-f]+$/;

/**
 * The canonical key a receipt's id was stored under; null for a blank id. An id that is not a
 * number in the base the connection announces is taken as it is (canonical form only).
 */
export function receiptLookupKey(receiptId: string, forms: SmscIdForms): string | null {
  const canonical = canonicalSmscMessageId(receiptId);
  if (canonical === '') return null;
  if (forms === 'submit-hex-receipt-decimal' && DECIMAL.test(canonical)) return BigInt(canonical).toString(16);
  if (forms === 'submit-decimal-receipt-hex' && HEX.test(canonical)) return BigInt(`0x${canonical}`).toString(10);
  return canonical;
}
