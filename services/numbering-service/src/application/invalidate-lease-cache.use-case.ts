import type { EventEnvelope } from '@sms/kernel';
import type { LeaseCache } from './ports/lease-cache.port.js';

/**
 * Events after which the cached lease of a sender may be wrong. Every number lifecycle event qualifies:
 * the cache holds "leased to X until T" or "not leased", and each of these changes one or the other.
 */
export const LEASE_CACHE_INVALIDATING_EVENTS: readonly string[] = [
  'numbering.number.reserved.v1',
  'numbering.reservation.cancelled.v1',
  'numbering.reservation.expired.v1',
  'numbering.lease.assigned.v1',
  'numbering.lease.renewed.v1',
  'numbering.lease.released.v1',
  'numbering.lease.reinstated.v1',
  'numbering.number.recalled.v1',
  'numbering.number.quarantined.v1',
  'numbering.number.quarantine-ended.v1',
  'numbering.number.retired.v1',
];

/**
 * InvalidateLeaseCacheOnEvent: the bus consumer's half of cache invalidation. The use cases already
 * invalidate after commit; this consumer repeats it from the outbox stream, so an invalidation lost to a
 * crash or a cache outage right after commit still happens (and other regions' caches follow). Throws
 * when the cache is unreachable, so the bus redelivers.
 */
export class InvalidateLeaseCacheOnEvent {
  constructor(private readonly deps: { readonly leaseCache: LeaseCache }) {}

  async handle(event: EventEnvelope): Promise<'invalidated' | 'ignored'> {
    if (!LEASE_CACHE_INVALIDATING_EVENTS.includes(event.type)) return 'ignored';
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null || !('number' in data) || !('numberVersion' in data)) return 'ignored';
    const { number, numberVersion } = data;
    if (typeof number !== 'string' || typeof numberVersion !== 'number') return 'ignored';
    await this.deps.leaseCache.invalidate(number, numberVersion);
    return 'invalidated';
  }
}
