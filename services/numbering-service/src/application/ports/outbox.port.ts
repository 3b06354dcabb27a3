import type { EventEnvelope } from '@sms/kernel';

/**
 * The transactional outbox: events written here commit or roll back with the state change; a relay
 * publishes them afterwards, in order per aggregate. Throws on an infrastructure fault.
 */
export interface Outbox {
  add(events: readonly EventEnvelope[]): Promise<void>;
}
