import type { RateLimitDecision, RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { SubmitRateLimit } from '../../application/ports/tenant-settings.port.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * The token bucket of {@link RateLimiter} in this process's memory: the limiter of embedded mode,
 * and the fallback while Redis is down (each replica then limits on its own, so the fleet may let
 * through up to replicas × the limit). Holds at most `maxTenants` buckets (least recently used
 * evicted; an evicted bucket starts full again).
 */
export class LocalTokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxTenants = 100_000) {}

  tryAcquire(tenantId: string, permits: number, limit: SubmitRateLimit, now: Date): Promise<RateLimitDecision> {
    const nowMs = now.getTime();
    const bucket = this.buckets.get(tenantId) ?? { tokens: limit.burst, at: nowMs };
    this.buckets.delete(tenantId);
    const refilled = Math.min(limit.burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * limit.messagesPerSecond);
    const needed = Math.min(permits, limit.burst);
    const allowed = refilled >= needed;
    this.buckets.set(tenantId, { tokens: allowed ? refilled - permits : refilled, at: nowMs });
    if (this.buckets.size > this.maxTenants) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return Promise.resolve(
      allowed ? { allowed: true } : { allowed: false, retryAfterMs: Math.ceil(((needed - refilled) / limit.messagesPerSecond) * 1000) },
    );
  }
}
