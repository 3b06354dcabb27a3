import type { EventEnvelope } from '@sms/kernel';

/**
 * The transactional outbox. Events appended through the instance of a {@link TransactionScope}
 * are written in the same transaction as the state change they describe, so either both commit
 * or neither does; a relay publishes them afterwards (`Nats-Msg-Id` = envelope id), in append
 * order per aggregate, on the subject {@link subjectForEventType} gives. The Postgres adapter is
 * `OutboxWriter` of `@sms/outbox`; append after writing the aggregate's row, as it asks.
 *
 * @throws only for infrastructure faults.
 */
export interface EventOutbox {
  append(events: readonly EventEnvelope[]): Promise<void>;
}
