import type { EventEnvelope } from '@sms/kernel';

/**
 * The transactional outbox: events enqueued here are stored in the same transaction as the state
 * change that caused them, and a relay publishes them later (in order per aggregate). Throws only
 * on infrastructure faults.
 */
export interface Outbox {
  enqueue(events: readonly EventEnvelope[]): Promise<void>;
}
