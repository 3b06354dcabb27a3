/** One submit_sm as the application asks for it. */
export interface SubmitPartRequest {
  readonly connectionId: string;
  readonly sourceAddr: string;
  /** 'msisdn' sends TON 1 / NPI 1 (international), 'short_code' TON 3 / NPI 0 (network specific). */
  readonly sourceType: 'msisdn' | 'short_code';
  /** E.164 without the '+'. */
  readonly destinationAddr: string;
  readonly dataCoding: number;
  readonly esmClass: number;
  readonly shortMessage: Uint8Array;
  /** Absolute validity end (SMPP validity_period). */
  readonly validUntil: Date;
  /** Ask for a delivery receipt (registered_delivery 1). */
  readonly receipt: boolean;
}

/** The SMSC's answer: `commandStatus` 0 with the id it gave, or the refusal. */
export type SubmitPartResponse =
  | { readonly kind: 'answered'; readonly commandStatus: number; readonly smscMessageId: string | null }
  /**
   * No answer: the connection was lost (or the response timed out) after the PDU may have been
   * sent, or no bind came up in time. The part may or may not have reached the SMSC.
   */
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * Sends submit_sm over a bind of the given connection, respecting the bind's window and pacing.
 * Implemented by the SMPP client pool. Throws only for programming faults (unknown connection id
 * is answered as `unavailable`).
 */
export interface SmscSubmitter {
  submit(request: SubmitPartRequest): Promise<SubmitPartResponse>;
}

/** Waits; injected so the retry backoff is testable without sleeping. */
export interface Sleeper {
  sleep(ms: number): Promise<void>;
}
