/**
 * How the pipeline retries transient failures: exponential backoff with full jitter
 * (delay drawn uniformly from [0, min(maxDelayMs, baseDelayMs × 2^(attempt − 1))) ), at most
 * `maxAttempts` attempts in all, after which the message is dead-lettered. Full jitter spreads
 * the retries of many messages that failed together (a dependency outage) instead of sending
 * them back in synchronised waves.
 */
export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts in all, the first included; 1 means no retry. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 6 };

export type RetryDecision = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'give-up' };

/**
 * Checks a policy read from configuration.
 *
 * @throws RangeError naming the setting that is out of range.
 */
export function assertRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.baseDelayMs) || policy.baseDelayMs < 1) throw new RangeError('retry baseDelayMs must be a whole number ≥ 1');
  if (!Number.isInteger(policy.maxDelayMs) || policy.maxDelayMs < policy.baseDelayMs) {
    throw new RangeError('retry maxDelayMs must be a whole number ≥ baseDelayMs');
  }
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError('retry maxAttempts must be a whole number ≥ 1');
  return policy;
}

/** The largest delay full jitter may pick after `failedAttempt` (1-based). */
export const backoffCeilingMs = (policy: RetryPolicy, failedAttempt: number): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));

/**
 * What to do after attempt number `failedAttempt` (1-based) failed transiently. `random` is a
 * uniform draw from [0, 1), passed in so the decision is pure and testable.
 *
 * @throws RangeError when `failedAttempt` is not a whole number ≥ 1 or `random` is outside [0, 1).
 */
export function decideRetry(policy: RetryPolicy, failedAttempt: number, random: number): RetryDecision {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) throw new RangeError('failedAttempt must be a whole number ≥ 1');
  if (!(random >= 0 && random < 1)) throw new RangeError('random must be in [0, 1)');
  if (failedAttempt >= policy.maxAttempts) return { kind: 'give-up' };
  return { kind: 'retry', delayMs: Math.floor(random * backoffCeilingMs(policy, failedAttempt)) };
}
