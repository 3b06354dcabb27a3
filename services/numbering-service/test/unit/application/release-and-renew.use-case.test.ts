import { describe, expect, it } from 'vitest';
import { ACME, DAY, SHOP, T0, createWorld, leaseToAcme, reserveForAcme, staffActor, tenantActor } from '../../support/world.js';

const MSISDN = '+93701234567';

describe('Release', () => {
  it('quarantines a released lease for 90 days and says why in its events', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const result = await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: 'r1', number: MSISDN, tenantId: ACME });

    expect(result).toMatchObject({
      ok: true,
      value: { state: 'quarantined', quarantine: { reason: 'released', endsAt: new Date(T0.getTime() + 90 * DAY).toISOString() } },
    });
    expect(world.store.outboxEvents().slice(-2).map((e) => e.type)).toEqual(['numbering.lease.released.v1', 'numbering.number.quarantined.v1']);
  });

  it('cancels a reservation with no cool-off', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);

    const result = await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: 'r1', number: MSISDN, tenantId: ACME });

    expect(result).toMatchObject({ ok: true, value: { quarantine: { reason: 'reservation_cancelled', endsAt: T0.toISOString() } } });
  });

  it("refuses a tenant releasing another tenant's lease", async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const asOther = await world.release.execute({ actor: tenantActor(SHOP), idempotencyKey: 'r1', number: MSISDN, tenantId: SHOP });

    expect(asOther).toMatchObject({ ok: false, error: { code: 'NUMBERING.NOT_HOLDER' } });
    expect(world.store.numberByValue(MSISDN)?.lifecycle.state).toBe('assigned');
  });

  it('refuses a tenant naming another tenant as the releaser', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const spoofed = await world.release.execute({ actor: tenantActor(SHOP), idempotencyKey: 'r1', number: MSISDN, tenantId: ACME });

    expect(spoofed).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });

  it('refuses an empty tenant', async () => {
    const world = createWorld();

    expect(await world.release.execute({ actor: staffActor('commerce'), idempotencyKey: 'r1', number: MSISDN, tenantId: '' })).toMatchObject({
      ok: false,
      error: { details: { field: 'tenantId' } },
    });
  });
});

describe('RenewLease', () => {
  it('extends the lease by the term from its current end', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN, 30);

    const result = await world.renew.execute({ actor: staffActor('system'), idempotencyKey: 'n1', number: MSISDN, tenantId: ACME, termDays: 30 });

    expect(result).toMatchObject({ ok: true, value: { lease: { endsAt: new Date(T0.getTime() + 60 * DAY).toISOString() } } });
    expect(world.store.outboxEvents().at(-1)?.type).toBe('numbering.lease.renewed.v1');
  });

  it('refuses to renew a lease that has already ended', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN, 30);
    world.clock.advance(30 * DAY);

    const result = await world.renew.execute({ actor: tenantActor(ACME), idempotencyKey: 'n1', number: MSISDN, tenantId: ACME });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.LEASE_ENDED' } });
  });

  it('refuses a term below the minimum', async () => {
    const world = createWorld();

    const result = await world.renew.execute({ actor: tenantActor(ACME), idempotencyKey: 'n1', number: MSISDN, tenantId: ACME, termDays: 0 });

    expect(result).toMatchObject({ ok: false, error: { details: { field: 'termDays' } } });
  });
});
