import type { Clock, EventEnvelope, IdGenerator } from '@sms/kernel';
import type { ConfigDomainEvent } from '../domain/config-events.js';

/** Wraps domain events in envelopes with fresh ids and the time of the change. */
export class EventFactory {
  constructor(
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  envelopes(events: readonly ConfigDomainEvent[], occurredAt: Date = this.clock.now()): EventEnvelope[] {
    return events.map((event) => ({
      id: this.ids.next(),
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      tenantId: event.tenantId,
      occurredAt: occurredAt.toISOString(),
      data: event.data,
    }));
  }
}
