import type { Cache } from '@sms/cache';
import type { Clock } from '@sms/kernel';
import type { ReservationTimer, ReservationTimers } from '../../index.js';

/** Keys of the timers, under the cache's own prefix (`numbering:` in production). */
const TIMER_PREFIX = 'reservation-ttl:';
/** Claims of fired timers: the first replica to claim one handles it, the others skip it. */
const CLAIM_PREFIX = 'reservation-ttl-claim:';
const CLAIM_TTL_MS = 5 * 60_000;

/** `reservation-ttl:<number id>:<version>:<expiresAt ms>:<attempt>:<number>`: the key is all an expiry event carries. */
export function timerKey(timer: ReservationTimer): string {
  return `${TIMER_PREFIX}${timer.numberId}:${timer.version}:${timer.expiresAt.getTime()}:${timer.attempt}:${timer.number}`;
}

/** The timer a key names, or null for a key this adapter did not write. */
export function parseTimerKey(key: string): ReservationTimer | null {
  if (!key.startsWith(TIMER_PREFIX)) return null;
  const parts = key.slice(TIMER_PREFIX.length).split(':');
  if (parts.length !== 5) return null;
  const [numberId = '', version, expiresAtMs, attempt, number = ''] = parts;
  const numbers = [version, expiresAtMs, attempt].map((part) => (part !== undefined && /^\d{1,16}$/.test(part) ? Number(part) : Number.NaN));
  const [v = Number.NaN, at = Number.NaN, n = Number.NaN] = numbers;
  if (numberId === '' || number === '' || !Number.isSafeInteger(v) || !Number.isSafeInteger(at) || !Number.isSafeInteger(n)) return null;
  return { numberId, number, version: v, expiresAt: new Date(at), attempt: n };
}

/**
 * Reservation TTL timers as cache entries that expire with the reservation: Redis keyspace expiry events
 * (`notify-keyspace-events` with `Ex`; `@sms/cache` turns it on where CONFIG is allowed) in production, the
 * memory cache's sweep (every second) in embedded mode. The entry's value is unused; everything is in the key.
 */
export class CacheReservationTimers implements ReservationTimers {
  private readonly handling = new Set<Promise<void>>();

  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock,
  ) {}

  async arm(timer: ReservationTimer, options: { readonly minDelayMs?: number } = {}): Promise<void> {
    const ttlMs = Math.max(timer.expiresAt.getTime() - this.clock.now().getTime(), options.minDelayMs ?? 1, 1);
    await this.cache.set(timerKey(timer), '1', { ttlMs });
  }

  /**
   * Calls `onFired` with each timer whose entry expires. Every replica's subscriber hears every expiry; the
   * first to claim the timer (SET NX) handles it, so replicas do not all run the expiry. When the claim cannot
   * be made (cache down) the timer is handled anyway: the expiry's compare-and-swap keeps that safe.
   * Resolves to the unsubscriber. Rejects when the cache cannot subscribe (Redis down, or CONFIG refused
   * while the server does not have the events on).
   */
  listen(onFired: (timer: ReservationTimer) => Promise<void>): Promise<() => Promise<void>> {
    return this.cache.onExpired(TIMER_PREFIX, (key) => {
      const timer = parseTimerKey(key);
      if (timer === null) return;
      const handled = this.claim(key)
        .then((claimed) => (claimed ? onFired(timer) : undefined))
        // `onFired` reports its own failures; this only keeps a bug there from crashing the process.
        .catch(() => undefined)
        .finally(() => this.handling.delete(handled));
      this.handling.add(handled);
    });
  }

  /** Waits for the fired timers being handled (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.handling.size > 0) await Promise.allSettled([...this.handling]);
  }

  private async claim(key: string): Promise<boolean> {
    try {
      return await this.cache.setIfAbsent(`${CLAIM_PREFIX}${key.slice(TIMER_PREFIX.length)}`, '1', { ttlMs: CLAIM_TTL_MS });
    } catch {
      return true;
    }
  }
}
