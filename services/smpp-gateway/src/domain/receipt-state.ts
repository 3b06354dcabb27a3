/**
 * Final and intermediate states of a short message at the SMSC, as SMPP 3.4 names them in the
 * receipt text (`stat:`) and numbers them in the `message_state` TLV (0x0427).
 */
export type ReceiptState = 'ENROUTE' | 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD';

export const RECEIPT_STATES: readonly ReceiptState[] = ['ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'];

/** `message_state` TLV values (SMPP 3.4 §5.2.28). */
const BY_MESSAGE_STATE: ReadonlyMap<number, ReceiptState> = new Map([
  [1, 'ENROUTE'],
  [2, 'DELIVRD'],
  [3, 'EXPIRED'],
  [4, 'DELETED'],
  [5, 'UNDELIV'],
  [6, 'ACCEPTD'],
  [7, 'UNKNOWN'],
  [8, 'REJECTD'],
]);

export function receiptStateFromMessageState(value: number): ReceiptState | null {
  return BY_MESSAGE_STATE.get(value) ?? null;
}

export function messageStateOf(state: ReceiptState): number {
  for (const [value, name] of BY_MESSAGE_STATE) if (name === state) return value;
  /* c8 ignore next */
  throw new RangeError(`unknown receipt state ${String(state)}`);
}

/** Reads `stat:` text, tolerating case and the long forms some SMSCs write (DELIVERED, UNDELIVERABLE, …). */
export function receiptStateFromText(text: string): ReceiptState | null {
  const upper = text.trim().toUpperCase();
  if ((RECEIPT_STATES as readonly string[]).includes(upper)) return upper as ReceiptState;
  const long: Record<string, ReceiptState> = {
    DELIVERED: 'DELIVRD',
    UNDELIVERABLE: 'UNDELIV',
    ACCEPTED: 'ACCEPTD',
    REJECTED: 'REJECTD',
  };
  return long[upper] ?? null;
}

/** The platform's delivery statuses the orchestrator accepts (`sms.delivery.status.v1`). */
export type DeliveryStatus = 'submitted' | 'delivered' | 'undelivered' | 'expired' | 'failed';

export type ReceiptOutcome =
  | { readonly kind: 'final'; readonly status: Exclude<DeliveryStatus, 'submitted'>; readonly errorCode: string | null }
  /** Not a final state: the message stays `submitted` and nothing is reported. */
  | { readonly kind: 'intermediate' };

/**
 * What a receipt state means for the message (docs/domain-model.md, "Receipt states"):
 * DELIVRD → delivered; UNDELIV → undelivered; EXPIRED → expired; REJECTD, DELETED and UNKNOWN →
 * failed with a `SMPP.*` error code; ENROUTE and ACCEPTD are intermediate (many SMSCs send ACCEPTD
 * as "taken in charge", not as "read by customer service", so it is not treated as final).
 */
export function outcomeOfReceiptState(state: ReceiptState): ReceiptOutcome {
  switch (state) {
    case 'DELIVRD':
      return { kind: 'final', status: 'delivered', errorCode: null };
    case 'UNDELIV':
      return { kind: 'final', status: 'undelivered', errorCode: 'SMPP.UNDELIVERABLE' };
    case 'EXPIRED':
      return { kind: 'final', status: 'expired', errorCode: 'SMPP.EXPIRED' };
    case 'REJECTD':
      return { kind: 'final', status: 'failed', errorCode: 'SMPP.REJECTED' };
    case 'DELETED':
      return { kind: 'final', status: 'failed', errorCode: 'SMPP.DELETED' };
    case 'UNKNOWN':
      return { kind: 'final', status: 'failed', errorCode: 'SMPP.UNKNOWN_STATE' };
    case 'ENROUTE':
    case 'ACCEPTD':
      return { kind: 'intermediate' };
  }
}

/**
 * The status of a multi-part message from its parts' final statuses: delivered only when every
 * part was delivered; otherwise the status of the first part (in part order) that was not.
 * Null while a part has no final status yet.
 */
export function combinePartStatuses(
  parts: ReadonlyArray<{ readonly status: Exclude<DeliveryStatus, 'submitted'> | null; readonly errorCode: string | null }>,
): { readonly status: Exclude<DeliveryStatus, 'submitted'>; readonly errorCode: string | null } | null {
  if (parts.length === 0 || parts.some((part) => part.status === null)) return null;
  const failed = parts.find((part) => part.status !== 'delivered');
  if (failed === undefined) return { status: 'delivered', errorCode: null };
  return { status: failed.status as Exclude<DeliveryStatus, 'submitted'>, errorCode: failed.errorCode };
}
