/** SMPP 3.4 command_status values the gateway acts on (§5.1.3). */
export const SMPP_STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RMSGQFUL: 0x14,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RTHROTTLED: 0x58,
} as const;

export interface RetryPolicy {
  /** Submit attempts per part before giving up (the first included). */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
}

export const DEFAULT_SUBMIT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, initialDelayMs: 200, maxDelayMs: 10_000, multiplier: 2 };

export type SubmitDecision =
  | { readonly kind: 'accepted' }
  /** Resubmit the same part after `delayMs` (throttled, queue full, transient SMSC fault). */
  | { readonly kind: 'retry'; readonly delayMs: number }
  /** Throttled through every attempt: hand the message back to the bus (nak) so it is retried later or dead-lettered. */
  | { readonly kind: 'give-up'; readonly errorCode: string }
  /** The SMSC refused the message itself: retrying cannot help; report it failed. */
  | { readonly kind: 'rejected'; readonly errorCode: string };

const RETRYABLE: ReadonlySet<number> = new Set([SMPP_STATUS.ESME_RTHROTTLED, SMPP_STATUS.ESME_RMSGQFUL, SMPP_STATUS.ESME_RSYSERR]);

/** `SMPP.<hex status>` — stable, so a dashboard can count operators' refusals by cause. */
export function smppErrorCode(commandStatus: number): string {
  return `SMPP.0x${commandStatus.toString(16).padStart(2, '0').toUpperCase()}`;
}

/**
 * What to do after a `submit_sm_resp` with `commandStatus` on attempt `attempt` (1-based).
 * ESME_RTHROTTLED (0x58), ESME_RMSGQFUL (0x14) and ESME_RSYSERR (0x08) are retried with
 * exponential backoff (initial × multiplier^(attempt-1), capped); anything else non-zero rejects.
 */
export function decideAfterSubmit(commandStatus: number, attempt: number, policy: RetryPolicy = DEFAULT_SUBMIT_RETRY_POLICY): SubmitDecision {
  if (commandStatus === SMPP_STATUS.ESME_ROK) return { kind: 'accepted' };
  if (!RETRYABLE.has(commandStatus)) return { kind: 'rejected', errorCode: smppErrorCode(commandStatus) };
  if (attempt >= policy.maxAttempts) return { kind: 'give-up', errorCode: smppErrorCode(commandStatus) };
  return { kind: 'retry', delayMs: backoffDelay(attempt, policy) };
}

/** Delay before attempt `attempt + 1`. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs' | 'multiplier'>): number {
  return Math.min(policy.maxDelayMs, Math.round(policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1)));
}

/** Re-bind backoff after a lost or refused bind: same exponential shape, attempt counted from 1. */
export const DEFAULT_REBIND_BACKOFF = { initialDelayMs: 250, maxDelayMs: 30_000, multiplier: 2 } as const;
