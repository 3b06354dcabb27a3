import { describe, expect, it } from 'vitest';
import { ACME, DAY, SHOP, T0, createWorld, reserveForAcme, staffActor, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const MSISDN = '+93701234567';

const assignAs = (world: World, overrides: Partial<Parameters<World['assign']['execute']>[0]> = {}) =>
  world.assign.execute({
    actor: tenantActor(ACME),
    idempotencyKey: world.key(),
    number: MSISDN,
    tenantId: ACME,
    uses: ['transactional', 'otp'],
    ...overrides,
  });

describe('Assign', () => {
  it('turns the reservation into a lease for the permitted uses, auto-renewed by default', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);

    const result = await assignAs(world, { termDays: 30 });

    expect(result).toMatchObject({
      ok: true,
      value: {
        state: 'assigned',
        version: 3,
        lease: { tenantId: ACME, uses: ['otp', 'transactional'], autoRenew: true, endsAt: new Date(T0.getTime() + 30 * DAY).toISOString() },
        reservation: null,
      },
    });
  });

  it('emits the lease-assigned event with the reservation it came from', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);
    const before = world.store.numberByValue(MSISDN)?.lifecycle;
    const reservationId = before?.state === 'reserved' ? before.reservation.id : null;

    await assignAs(world, { autoRenew: false });

    const event = world.store.outboxEvents().at(-1);
    expect(event?.type).toBe('numbering.lease.assigned.v1');
    expect(event?.data).toMatchObject({ reservationId, tenantId: ACME, autoRenew: false });
  });

  it("refuses to assign another tenant's reservation", async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);

    const result = await assignAs(world, { actor: staffActor('commerce'), tenantId: SHOP });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.NOT_HOLDER' } });
  });

  it('refuses to assign after the reservation TTL has passed', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN, 600);
    world.clock.advance(600_000);

    expect(await assignAs(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.RESERVATION_EXPIRED' } });
  });

  it('refuses to assign a number that was never reserved', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    expect(await assignAs(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_TRANSITION', details: { state: 'available' } } });
  });

  it.each([
    ['no uses', { uses: [] }, 'uses'],
    ['an unknown use', { uses: ['marketing'] }, 'uses'],
    ['a term beyond the maximum', { termDays: 5000 }, 'termDays'],
    ['a non-boolean auto-renew', { autoRenew: 'yes' as unknown as boolean }, 'autoRenew'],
    ['a missing tenant', { tenantId: '' }, 'tenantId'],
    ['a malformed number', { number: 'abc' }, 'number'],
  ])('refuses %s', async (_label, overrides, field) => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);

    expect(await assignAs(world, overrides)).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT', details: { field } } });
  });

  it('refuses a tenant viewer', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);

    expect(await assignAs(world, { actor: tenantActor(ACME, 'tenant_viewer') })).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});
