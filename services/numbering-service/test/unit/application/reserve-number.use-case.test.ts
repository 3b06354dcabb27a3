import { describe, expect, it } from 'vitest';
import { ACME, DAY, MINISTRY, SHOP, T0, createWorld, reserveForAcme, staffActor, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const MSISDN = '+93701234567';

const reserveAs = (world: World, overrides: Partial<Parameters<World['reserve']['execute']>[0]> = {}) =>
  world.reserve.execute({
    actor: tenantActor(ACME),
    idempotencyKey: world.key(),
    number: MSISDN,
    tenantId: ACME,
    tenantPoolId: world.tenantPools.acme.id,
    ...overrides,
  });

describe('Reserve', () => {
  it('reserves an available number for the tenant until the TTL', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const result = await reserveAs(world, { ttlSeconds: 600 });

    expect(result).toMatchObject({
      ok: true,
      value: {
        number: MSISDN,
        state: 'reserved',
        version: 2,
        reservation: { tenantId: ACME, tenantPoolId: world.tenantPools.acme.id, expiresAt: new Date(T0.getTime() + 600_000).toISOString() },
      },
    });
  });

  it('uses the default TTL of the policy when none is asked', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const result = await reserveAs(world);

    expect(result.ok && result.value.reservation?.expiresAt).toBe(new Date(T0.getTime() + DAY).toISOString());
  });

  it('stores the reservation, one audit row and the reserved event together', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    await reserveAs(world);

    expect(world.store.numberByValue(MSISDN)?.lifecycle.state).toBe('reserved');
    expect(world.store.auditRows().map((r) => [r.action, r.fromState, r.toState, r.tenantId])).toEqual([
      ['number.reserve', 'available', 'reserved', ACME],
    ]);
    expect(world.store.outboxEvents().map((e) => [e.type, e.aggregateType, e.tenantId])).toEqual([
      ['numbering.number.reserved.v1', 'number', ACME],
    ]);
  });

  it('lets exactly one of 100 concurrent reservations of one number win; the other 99 answer CONFLICT', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        reserveAs(world, { actor: staffActor('commerce'), idempotencyKey: `race-${i}` }),
      ),
    );

    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 'NUMBERING.CONFLICT')).toHaveLength(99);
    expect(world.store.outboxEvents().filter((e) => e.type === 'numbering.number.reserved.v1')).toHaveLength(1);
    expect(world.store.auditRows()).toHaveLength(1);
    expect(world.store.numberByValue(MSISDN)?.version).toBe(2);
  });

  it('refuses a number that is already reserved', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);

    const result = await reserveAs(world, { actor: staffActor('commerce'), tenantId: SHOP, tenantPoolId: world.tenantPools.shop.id });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.NUMBER_NOT_AVAILABLE', details: { state: 'reserved' } } });
  });

  it('refuses a number not in the inventory', async () => {
    const world = createWorld();

    expect(await reserveAs(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.NUMBER_NOT_FOUND' } });
  });

  it('refuses a tenant reserving for another tenant', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const result = await reserveAs(world, { actor: tenantActor(SHOP) });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
    expect(world.store.numberByValue(MSISDN)?.lifecycle.state).toBe('available');
  });

  it("refuses another tenant's tenant pool", async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const result = await reserveAs(world, { tenantPoolId: world.tenantPools.shop.id });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.TENANT_POOL_NOT_FOUND', details: { field: 'tenantPoolId' } } });
  });

  it('refuses a gold short code for an SMB tenant pool', async () => {
    const world = createWorld();
    world.addNumber('4444', { tier: 'gold' });

    const result = await reserveAs(world, { actor: tenantActor(SHOP), number: '4444', tenantId: SHOP, tenantPoolId: world.tenantPools.shop.id });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.TIER_NOT_ELIGIBLE', details: { tier: 'gold' } } });
  });

  it('lets an enterprise tenant pool reserve a platinum short code', async () => {
    const world = createWorld();
    world.addNumber('777', { tier: 'platinum' });

    expect((await reserveAs(world, { number: '777' })).ok).toBe(true);
  });

  it('keeps numbers of a government-only pool from an enterprise tenant', async () => {
    const world = createWorld();
    world.addNumber(MSISDN, { pool: world.governmentPool });

    expect(await reserveAs(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.POOL_RESTRICTED' } });
  });

  it('lets a government tenant reserve from the government-only pool', async () => {
    const world = createWorld();
    world.addNumber(MSISDN, { pool: world.governmentPool });

    const result = await reserveAs(world, { actor: tenantActor(MINISTRY), tenantId: MINISTRY, tenantPoolId: world.tenantPools.ministry.id });

    expect(result.ok).toBe(true);
  });

  it('refuses a number whose operator contract has ended', async () => {
    const world = createWorld();
    world.store.seedContract({ ...world.contract, endsAt: new Date(T0.getTime() - 1) });
    world.addNumber(MSISDN);

    expect(await reserveAs(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.CONTRACT_INACTIVE' } });
  });

  it.each([
    ['a TTL below the minimum', { ttlSeconds: 59 }, 'ttlSeconds'],
    ['a TTL above the maximum', { ttlSeconds: 31 * 86_400 }, 'ttlSeconds'],
    ['a fractional TTL', { ttlSeconds: 90.5 }, 'ttlSeconds'],
    ['a malformed number', { number: '0701234567' }, 'number'],
    ['an empty tenant', { tenantId: '' }, 'tenantId'],
    ['an empty tenant pool', { tenantPoolId: ' ' }, 'tenantPoolId'],
    ['an idempotency key with spaces', { idempotencyKey: 'a key' }, 'idempotencyKey'],
  ])('refuses %s and names the field', async (_label, overrides, field) => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const result = await reserveAs(world, { actor: staffActor('commerce'), ...overrides });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT', details: { field } } });
    expect(world.store.outboxEvents()).toHaveLength(0);
  });

  it('invalidates the cached lease of the sender after the change', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    await reserveAs(world);

    expect(world.leaseCache.calls.invalidate).toBe(1);
  });
});
