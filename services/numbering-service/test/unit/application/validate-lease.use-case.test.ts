import { describe, expect, it } from 'vitest';
import { ValidateLease, leaseSnapshotOf } from '../../../src/index.js';
import type { LeaseCache, LeaseSnapshot, NumberRepository } from '../../../src/index.js';
import { ACME, DAY, SHOP, createWorld, leaseToAcme, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const MSISDN = '+93701234567';
const validate = (world: World, overrides: Partial<{ sender: string; tenantId: string; use: string }> = {}) =>
  world.validateLease.execute({ sender: MSISDN, tenantId: ACME, use: 'otp', ...overrides });

describe('ValidateLease', () => {
  it('confirms a leased sender for its tenant and use, reading the repository on a cold cache', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const result = await validate(world);

    expect(result).toMatchObject({ ok: true, value: { verdict: { valid: true }, source: 'repository', cache: 'miss' } });
  });

  it('answers the next call from the cache it filled', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    await validate(world);

    const result = await validate(world);

    expect(result).toMatchObject({ ok: true, value: { verdict: { valid: true }, source: 'cache', cache: 'hit' } });
  });

  it('judges time at the call even when the lease comes from the cache', async () => {
    const world = createWorld();
    const now = world.clock.now().getTime();
    await world.leaseCache.put({
      numberId: 'n',
      sender: MSISDN,
      numberVersion: 3,
      lease: { leaseId: 'l', tenantId: ACME, uses: ['otp'], startsAt: new Date(now - DAY).toISOString(), endsAt: new Date(now + 10_000).toISOString() },
    });
    world.clock.advance(10_000);

    const result = await validate(world);

    expect(result).toMatchObject({ ok: true, value: { verdict: { valid: false, reason: 'lease_not_active' }, source: 'cache' } });
  });

  it('answers correctly from the repository while the cache is unreachable', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    world.leaseCache.setReachable(false);

    const [valid, otherTenant] = await Promise.all([validate(world), validate(world, { tenantId: SHOP })]);

    expect(valid).toMatchObject({ ok: true, value: { verdict: { valid: true }, source: 'repository', cache: 'unavailable' } });
    expect(otherTenant).toMatchObject({ ok: true, value: { verdict: { valid: false, reason: 'not_leased_to_tenant' } } });
  });

  it('stops validating a sender right after its lease is released, although the cache held it', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    await validate(world);

    await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: 'rel', number: MSISDN, tenantId: ACME });
    const result = await validate(world);

    expect(result).toMatchObject({ ok: true, value: { verdict: { valid: false, reason: 'not_leased' }, source: 'repository' } });
  });

  it('does not let a slow reader put back a lease that a release invalidated meanwhile', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    const staleSnapshot = leaseSnapshotOf(world.store.numberByValue(MSISDN) ?? fail());
    await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: 'rel', number: MSISDN, tenantId: ACME });

    await world.leaseCache.put(staleSnapshot);
    const result = await validate(world);

    expect(result).toMatchObject({ ok: true, value: { verdict: { valid: false, reason: 'not_leased' }, source: 'repository' } });
  });

  it('says a sender outside the inventory is unknown, and does not cache it', async () => {
    const world = createWorld();

    const result = await validate(world, { sender: '+93799999999' });

    expect(result).toMatchObject({ ok: true, value: { verdict: { valid: false, reason: 'unknown_sender' } } });
    expect(world.leaseCache.calls.put).toBe(0);
  });

  it('refuses a use the lease does not permit', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    expect(await validate(world, { use: 'promotional' })).toMatchObject({ ok: true, value: { verdict: { valid: false, reason: 'use_not_permitted' } } });
  });

  it('still answers when filling the cache fails', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    const flaky: LeaseCache = {
      get: () => Promise.resolve(undefined),
      put: () => Promise.reject(new Error('timeout')),
      invalidate: () => Promise.resolve(),
    };
    const useCase = new ValidateLease({ numbers: world.store.numbers, leaseCache: flaky, clock: world.clock });

    expect(await useCase.execute({ sender: MSISDN, tenantId: ACME, use: 'otp' })).toMatchObject({ ok: true, value: { verdict: { valid: true } } });
  });

  it('does not touch the repository on a cache hit', async () => {
    const world = createWorld();
    const snapshot: LeaseSnapshot = {
      numberId: 'n',
      sender: MSISDN,
      numberVersion: 3,
      lease: { leaseId: 'l', tenantId: ACME, uses: ['otp'], startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2027-01-01T00:00:00.000Z' },
    };
    await world.leaseCache.put(snapshot);
    const numbers = new Proxy({} as NumberRepository, {
      get: () => () => Promise.reject(new Error('repository must not be read on a hit')),
    });
    const useCase = new ValidateLease({ numbers, leaseCache: world.leaseCache, clock: world.clock });

    expect(await useCase.execute({ sender: MSISDN, tenantId: ACME, use: 'otp' })).toMatchObject({ ok: true, value: { source: 'cache' } });
  });

  it.each([
    ['sender', { sender: '93701234567' }],
    ['tenantId', { tenantId: '' }],
    ['use', { use: 'spam' }],
  ])('refuses a malformed %s', async (field, overrides) => {
    const world = createWorld();

    expect(await validate(world, overrides)).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT', details: { field } } });
  });
});

function fail(): never {
  throw new Error('arrange: number missing');
}
