/** A reservation's TTL timer: which number, at which version, ends when. */
export interface ReservationTimer {
  readonly numberId: string;
  /** Canonical value of the number (`+93701234567`, `4040`). */
  readonly number: string;
  /** The number's version right after the reservation: the expiry applies only while it is still this. */
  readonly version: number;
  readonly expiresAt: Date;
  /** 0 when armed by the reservation; +1 each time a timer that fired early is armed again. */
  readonly attempt: number;
}

/**
 * Timers that fire when a reservation's TTL runs out (Redis keyspace expiry events in production, the memory
 * cache's in embedded mode). Best effort by design: a timer may fire late, or never (Redis restarted, the
 * subscriber was disconnected); the reservation-expiry safety-net job releases what they miss.
 */
export interface ReservationTimers {
  /**
   * Arms (or re-arms) the timer of one reservation, to fire at `expiresAt` by the service's clock, and not
   * sooner than `minDelayMs` from now (default 1). Throws when the timer store is unreachable.
   */
  arm(timer: ReservationTimer, options?: { readonly minDelayMs?: number }): Promise<void>;
}
