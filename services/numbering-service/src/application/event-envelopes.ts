import type { EventEnvelope, IdGenerator } from '@sms/kernel';
import type { NumberingDomainEvent } from '../domain/number-events.js';

/** The tenant an event concerns, for the envelope (consumers and RLS-aware relays filter on it). */
function tenantOf(event: NumberingDomainEvent): string | null {
  const data: object = event.data;
  if ('tenantId' in data && typeof data.tenantId === 'string') return data.tenantId;
  if ('previousTenantId' in data && typeof data.previousTenantId === 'string') return data.previousTenantId;
  return null;
}

/** Wraps a domain event in the bus envelope; number events use the number as aggregate (ordering key). */
export function envelopeOf(
  event: NumberingDomainEvent,
  aggregate: { readonly type: string; readonly id: string },
  ids: IdGenerator,
  now: Date,
): EventEnvelope<NumberingDomainEvent['data']> {
  return {
    id: ids.next(),
    type: event.type,
    aggregateType: aggregate.type,
    aggregateId: aggregate.id,
    tenantId: tenantOf(event),
    occurredAt: now.toISOString(),
    data: event.data,
  };
}
