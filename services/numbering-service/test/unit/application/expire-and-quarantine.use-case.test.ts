import { describe, expect, it } from 'vitest';
import { createNumberingPolicy } from '../../../src/index.js';
import { ACME, DAY, createWorld, leaseToAcme, reserveForAcme, staffActor, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const MSISDN = '+93701234567';
const system = staffActor('system');

const expire = (world: World) => world.expire.execute({ actor: system, idempotencyKey: world.key(), number: MSISDN });
const endQuarantine = (world: World) => world.endQuarantine.execute({ actor: system, idempotencyKey: world.key(), number: MSISDN });

describe('ExpireHold', () => {
  it('refuses to expire a reservation one millisecond before its TTL', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN, 600);
    world.clock.advance(599_999);

    expect(await expire(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.RESERVATION_NOT_EXPIRED' } });
  });

  it('expires a reservation at its TTL into a 30-day quarantine', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN, 600);
    world.clock.advance(600_000);

    const result = await expire(world);

    expect(result).toMatchObject({ ok: true, value: { state: 'quarantined', quarantine: { reason: 'reservation_expired' } } });
    expect(world.store.outboxEvents().slice(-2).map((e) => e.type)).toEqual([
      'numbering.reservation.expired.v1',
      'numbering.number.quarantined.v1',
    ]);
  });

  it('expires a lease at the end of its term into the release quarantine', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN, 30);
    world.clock.advance(30 * DAY);

    expect(await expire(world)).toMatchObject({ ok: true, value: { quarantine: { reason: 'released' } } });
  });

  it('is refused to a tenant', async () => {
    const world = createWorld();

    expect(await world.expire.execute({ actor: tenantActor(ACME), idempotencyKey: 'e', number: MSISDN })).toMatchObject({
      ok: false,
      error: { code: 'NUMBERING.FORBIDDEN' },
    });
  });

  it('refuses a malformed number', async () => {
    const world = createWorld();

    expect(await world.expire.execute({ actor: system, idempotencyKey: 'e', number: 'x' })).toMatchObject({ ok: false, error: { details: { field: 'number' } } });
  });
});

describe('EndQuarantine', () => {
  async function releasedLease(world: World): Promise<void> {
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    const released = await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: world.key(), number: MSISDN, tenantId: ACME });
    if (!released.ok) throw new Error('arrange');
  }

  it('keeps a released number in quarantine until the last millisecond of its 90 days', async () => {
    const world = createWorld();
    await releasedLease(world);
    world.clock.advance(90 * DAY - 1);

    expect(await endQuarantine(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.QUARANTINE_NOT_ENDED' } });
    expect(world.store.numberByValue(MSISDN)?.lifecycle.state).toBe('quarantined');
  });

  it('returns the number to available when its 90 days are over, and it can be reserved again', async () => {
    const world = createWorld();
    await releasedLease(world);
    world.clock.advance(90 * DAY);

    const ended = await endQuarantine(world);
    await reserveForAcme(world, MSISDN);

    expect(ended).toMatchObject({ ok: true, value: { state: 'available' } });
    expect(world.store.numberByValue(MSISDN)?.lifecycle.state).toBe('reserved');
  });

  it('honours a configured cool-off', async () => {
    const world = createWorld({ policy: { coolOffDays: { released: 1 } } });
    await releasedLease(world);
    world.clock.advance(DAY);

    expect((await endQuarantine(world)).ok).toBe(true);
    expect(world.policy).toEqual(createNumberingPolicy({ coolOffDays: { released: 1 } }));
  });

  it('refuses a number that is not quarantined', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    expect(await endQuarantine(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_TRANSITION' } });
  });

  it('is refused to commerce', async () => {
    const world = createWorld();

    expect(await world.endQuarantine.execute({ actor: staffActor('commerce'), idempotencyKey: 'q', number: MSISDN })).toMatchObject({
      ok: false,
      error: { code: 'NUMBERING.FORBIDDEN' },
    });
  });

  it('refuses a malformed number', async () => {
    const world = createWorld();

    expect(await world.endQuarantine.execute({ actor: system, idempotencyKey: 'q', number: '' })).toMatchObject({ ok: false, error: { details: { field: 'number' } } });
  });
});
