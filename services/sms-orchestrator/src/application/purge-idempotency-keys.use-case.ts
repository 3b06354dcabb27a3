import type { Clock } from '@sms/kernel';
import { IDEMPOTENCY_WINDOW_MS } from '../domain/idempotency-key.js';
import type { IdempotencyPurger } from './ports/idempotency.store.port.js';

/**
 * The idempotency-key purge job: deletes records claimed before the 48 h window. Records past the
 * window are already ignored by claims, so the job only reclaims space; running it late or twice
 * is harmless.
 */
export class PurgeIdempotencyKeys {
  constructor(private readonly deps: { readonly purger: IdempotencyPurger; readonly clock: Clock }) {}

  async execute(): Promise<{ readonly cutoff: Date; readonly purged: number }> {
    const cutoff = new Date(this.deps.clock.now().getTime() - IDEMPOTENCY_WINDOW_MS);
    return { cutoff, purged: await this.deps.purger.purgeClaimedBefore(cutoff) };
  }
}
