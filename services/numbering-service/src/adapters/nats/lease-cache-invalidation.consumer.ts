import { PermanentHandlerError } from '@sms/bus';
import type { Bus, Subscription } from '@sms/bus';
import { decodeEnvelope } from '@sms/outbox';
import { LEASE_CACHE_INVALIDATING_EVENTS } from '../../index.js';
import type { InvalidateLeaseCacheOnEvent } from '../../index.js';

export interface LeaseCacheInvalidationOptions {
  readonly bus: Bus;
  readonly handler: InvalidateLeaseCacheOnEvent;
  /** Durable name: replicas share it (the cache is shared, one invalidation per event is enough). */
  readonly durable: string;
  /** Prepended to each event type to make its subject (empty in production; tests isolate runs with it). */
  readonly subjectPrefix?: string;
}

/**
 * Subscribes the lease-cache invalidation to the number events on the bus, directly rather than through an
 * inbox: an invalidation is idempotent by itself (the cache keeps the highest version it saw), so a
 * redelivery is harmless and needs no database transaction. A handler that cannot reach the cache throws and
 * the bus redelivers; the entry TTL bounds staleness if every attempt fails.
 */
export function subscribeLeaseCacheInvalidation(options: LeaseCacheInvalidationOptions): Promise<Subscription> {
  const prefix = options.subjectPrefix ?? '';
  return options.bus.subscribe(
    {
      durable: options.durable,
      subjects: LEASE_CACHE_INVALIDATING_EVENTS.map((type) => `${prefix}${type}`),
      backoffMs: [200, 1000, 5000],
      maxDeliver: 10,
    },
    async (message) => {
      const decoded = decodeEnvelope(message.payload);
      if (!decoded.ok) throw new PermanentHandlerError(`malformed event on ${message.subject}: ${decoded.error}`);
      await options.handler.handle(decoded.value);
    },
  );
}
