import type { Clock } from '@sms/kernel';
import type { Actor } from '../domain/permissions.js';
import type { ExpireHold } from './expire-hold.use-case.js';
import type { ReservationTimer, ReservationTimers } from './ports/reservation-timers.port.js';

/**
 * What one fired timer came to:
 * - `expired`: this path released the reservation; `lateMs` is how long after the TTL it did (the ±2 s target);
 * - `moved_on`: the number is no longer at the timer's version (assigned, released, recalled, or already
 *   expired by the safety net): nothing to do;
 * - `rearmed`: the timer fired before the TTL by this service's clock, and was armed again for the rest;
 * - `refused`: any other refusal (`code`); the safety-net job will look at the number again.
 */
export type TimerOutcome =
  | { readonly outcome: 'expired'; readonly lateMs: number }
  | { readonly outcome: 'moved_on'; readonly code: string }
  | { readonly outcome: 'rearmed' }
  | { readonly outcome: 'refused'; readonly code: string };

export interface ExpireReservationOnTimerDeps {
  readonly expire: ExpireHold;
  readonly timers: ReservationTimers;
  readonly clock: Clock;
  /** The actor the audit rows name for this path. */
  readonly actor: Actor;
}

/** Outcomes meaning "the number left this reservation already": the other path or the holder won. */
const MOVED_ON = new Set(['NUMBERING.CONFLICT', 'NUMBERING.INVALID_TRANSITION', 'NUMBERING.NUMBER_NOT_FOUND', 'NUMBERING.IDEMPOTENCY_IN_PROGRESS']);

/** A timer that fires early is armed again for at least this long, so clock disagreement cannot spin. */
const MIN_REARM_MS = 50;

/** The idempotency key of the timer path (the safety-net job keys its own calls `job:…`). */
export const timerExpiryKey = (timer: ReservationTimer): string =>
  `timer:reservation-expiry:${timer.numberId}:v${timer.version}:a${timer.attempt}`;

/**
 * Ends a reservation when its TTL timer fires, through the same {@link ExpireHold} use case as the safety-net
 * job, guarded by the version the timer was armed with (compare-and-swap): whichever of the two paths writes
 * first releases the number, the other finds the version moved on. Never throws for a business outcome.
 */
export class ExpireReservationOnTimer {
  constructor(private readonly deps: ExpireReservationOnTimerDeps) {}

  async execute(timer: ReservationTimer): Promise<TimerOutcome> {
    const remainingMs = timer.expiresAt.getTime() - this.deps.clock.now().getTime();
    if (remainingMs > 0) return this.rearm(timer);
    const result = await this.deps.expire.execute({
      actor: this.deps.actor,
      idempotencyKey: timerExpiryKey(timer),
      number: timer.number,
      expectedVersion: timer.version,
    });
    if (result.ok) {
      const releasedAt = result.value.quarantine?.startedAt;
      const lateMs = releasedAt === undefined ? 0 : Date.parse(releasedAt) - timer.expiresAt.getTime();
      return { outcome: 'expired', lateMs };
    }
    const { code } = result.error;
    if (code === 'NUMBERING.RESERVATION_NOT_EXPIRED') return this.rearm(timer);
    return MOVED_ON.has(code) ? { outcome: 'moved_on', code } : { outcome: 'refused', code };
  }

  private async rearm(timer: ReservationTimer): Promise<TimerOutcome> {
    await this.deps.timers.arm({ ...timer, attempt: timer.attempt + 1 }, { minDelayMs: MIN_REARM_MS });
    return { outcome: 'rearmed' };
  }
}
