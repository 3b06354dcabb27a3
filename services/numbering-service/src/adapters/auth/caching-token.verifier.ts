import type { JwtVerifier, Principal } from '@sms/auth';
import { systemClock } from '@sms/kernel';
import type { Clock } from '@sms/kernel';

export interface CachingVerifierOptions {
  /** How long a verified token is trusted without checking its signature again (never past its `exp`). Default 60 s. */
  readonly maxAgeMs?: number;
  /** Tokens remembered at most; the oldest is dropped first. Default 10 000. */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

/**
 * Remembers tokens that verified, so the gRPC hot path (every message asks ValidateLease with the same
 * service token) does not check a signature per call. Only successes are cached, each until the earlier of
 * its `exp` and `maxAgeMs`; refusals and key outages always go to the inner verifier. Tokens are bearer
 * credentials already held in memory by the caller, so keeping them as map keys adds no exposure.
 */
export function cachingVerifier(inner: JwtVerifier, options: CachingVerifierOptions = {}): JwtVerifier {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, { readonly principal: Principal; readonly until: number }>();
  return {
    issuer: inner.issuer,
    audience: inner.audience,
    algorithms: inner.algorithms,
    async verify(token) {
      const now = clock.now().getTime();
      const hit = cache.get(token);
      if (hit !== undefined) {
        if (hit.until > now) return { ok: true, value: hit.principal };
        cache.delete(token);
      }
      const result = await inner.verify(token);
      if (result.ok) {
        if (cache.size >= maxEntries) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
        cache.set(token, { principal: result.value, until: Math.min(now + maxAgeMs, result.value.expiresAt.getTime()) });
      }
      return result;
    },
  };
}
