import type { SubmitRateLimit } from './tenant-settings.port.js';

export type RateLimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * The per-tenant submit rate limit (Kong limits requests at the edge; this limits messages).
 * Token bucket semantics, shared by all replicas (Redis in production):
 * - the bucket starts full (`burst` tokens) and refills continuously at `messagesPerSecond`;
 * - a request for `permits` is allowed when the bucket holds at least `min(permits, burst)`
 *   tokens, and then takes all `permits` (the balance may go negative, so a 1,000-message bulk
 *   works with a smaller burst, and the long-run rate still holds);
 * - a refused request takes nothing and learns when enough tokens will be there.
 *
 * Adapters fail open when their store is unreachable (submits must keep working when Redis is
 * down; readiness reports the store degraded). Throws only for programmer errors.
 */
export interface RateLimiter {
  tryAcquire(tenantId: string, permits: number, limit: SubmitRateLimit, now: Date): Promise<RateLimitDecision>;
}
