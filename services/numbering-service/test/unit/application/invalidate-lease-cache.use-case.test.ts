import { describe, expect, it } from 'vitest';
import { InvalidateLeaseCacheOnEvent, leaseSnapshotOf } from '../../../src/index.js';
import type { EventEnvelope } from '@sms/kernel';
import { createWorld, leaseToAcme } from '../../support/world.js';

const MSISDN = '+93701234567';
const envelope = (type: string, data: unknown): EventEnvelope => ({
  id: 'e1',
  type,
  aggregateType: 'number',
  aggregateId: 'n1',
  tenantId: null,
  occurredAt: '2026-05-01T10:00:00.000Z',
  data,
});

describe('InvalidateLeaseCacheOnEvent', () => {
  it('drops the cached lease of the number a lease event is about', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    const snapshot = leaseSnapshotOf(world.store.numberByValue(MSISDN) ?? fail());
    await world.leaseCache.put(snapshot);
    const handler = new InvalidateLeaseCacheOnEvent({ leaseCache: world.leaseCache });

    const outcome = await handler.handle(envelope('numbering.lease.released.v1', { number: MSISDN, numberVersion: snapshot.numberVersion + 1 }));

    expect([outcome, await world.leaseCache.get(MSISDN)]).toEqual(['invalidated', undefined]);
  });

  it('leaves a tombstone that refuses the older snapshot afterwards', async () => {
    const world = createWorld();
    const handler = new InvalidateLeaseCacheOnEvent({ leaseCache: world.leaseCache });
    await handler.handle(envelope('numbering.number.recalled.v1', { number: MSISDN, numberVersion: 5 }));

    await world.leaseCache.put({ numberId: 'n', sender: MSISDN, numberVersion: 4, lease: null });

    expect(await world.leaseCache.get(MSISDN)).toBeUndefined();
  });

  it('ignores events that do not concern leases', async () => {
    const world = createWorld();
    const handler = new InvalidateLeaseCacheOnEvent({ leaseCache: world.leaseCache });

    expect(await handler.handle(envelope('numbering.import.completed.v1', { importId: 'i' }))).toBe('ignored');
  });

  it('ignores a lease event without a number and version', async () => {
    const world = createWorld();
    const handler = new InvalidateLeaseCacheOnEvent({ leaseCache: world.leaseCache });

    expect(await handler.handle(envelope('numbering.lease.assigned.v1', { number: MSISDN }))).toBe('ignored');
  });

  it('fails, so the bus redelivers, while the cache is unreachable', async () => {
    const world = createWorld();
    world.leaseCache.setReachable(false);
    const handler = new InvalidateLeaseCacheOnEvent({ leaseCache: world.leaseCache });

    await expect(handler.handle(envelope('numbering.lease.renewed.v1', { number: MSISDN, numberVersion: 3 }))).rejects.toThrow(/unreachable/);
  });

  it('does not fail a committed change when the cache is down at invalidation time', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.leaseCache.setReachable(false);

    await leaseToAcme(world, MSISDN);

    expect(world.store.numberByValue(MSISDN)?.lifecycle.state).toBe('assigned');
  });
});

function fail(): never {
  throw new Error('arrange: number missing');
}
