import { describe, expect, it } from 'vitest';
import { ACME, SHOP, createWorld, leaseToAcme, reserveForAcme, staffActor, tenantActor } from '../../support/world.js';

const MSISDN = '+93701234567';

describe('Lookup', () => {
  it('shows staff the whole number, holder included', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const result = await world.lookup.execute({ actor: staffActor('compliance'), number: MSISDN });

    expect(result).toMatchObject({ ok: true, value: { view: 'full', number: { state: 'assigned', lease: { tenantId: ACME } } } });
  });

  it('shows the holder its own lease', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    expect(await world.lookup.execute({ actor: tenantActor(ACME), number: MSISDN })).toMatchObject({ ok: true, value: { view: 'full' } });
  });

  it("shows another tenant only that the number is unavailable, never who holds it", async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const result = await world.lookup.execute({ actor: tenantActor(SHOP), number: MSISDN });

    expect(result).toEqual({
      ok: true,
      value: { view: 'public', number: { number: MSISDN, kind: 'msisdn', tier: 'standard', operatorCode: 'ROSHAN', state: 'unavailable' } },
    });
  });

  it('tells a tenant an available number is available', async () => {
    const world = createWorld();
    world.addNumber('4040', { tier: 'silver' });

    expect(await world.lookup.execute({ actor: tenantActor(SHOP), number: '4040' })).toMatchObject({
      ok: true,
      value: { number: { state: 'available', tier: 'silver' } },
    });
  });

  it('answers not found for a number outside the inventory', async () => {
    const world = createWorld();

    expect(await world.lookup.execute({ actor: staffActor('service'), number: MSISDN })).toMatchObject({ ok: false, error: { code: 'NUMBERING.NUMBER_NOT_FOUND' } });
  });

  it('refuses a malformed number', async () => {
    const world = createWorld();

    expect(await world.lookup.execute({ actor: staffActor('service'), number: 'x' })).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT' } });
  });
});

describe('ListTenantHoldings', () => {
  async function acmeHoldsThree() {
    const world = createWorld();
    for (const n of ['+93701000001', '+93701000002', '+93701000003', '+93701000004']) world.addNumber(n);
    await leaseToAcme(world, '+93701000001');
    await reserveForAcme(world, '+93701000002');
    await leaseToAcme(world, '+93701000003');
    await world.reserve.execute({
      actor: tenantActor(SHOP),
      idempotencyKey: 'shop',
      number: '+93701000004',
      tenantId: SHOP,
      tenantPoolId: world.tenantPools.shop.id,
    });
    return world;
  }

  it("lists a tenant's own reservations and leases and nothing of other tenants", async () => {
    const world = await acmeHoldsThree();

    const result = await world.holdings.execute({ actor: tenantActor(ACME), tenantId: ACME });

    expect(result.ok && result.value.items.map((n) => [n.number, n.state])).toEqual([
      ['+93701000001', 'assigned'],
      ['+93701000002', 'reserved'],
      ['+93701000003', 'assigned'],
    ]);
  });

  it('filters by state', async () => {
    const world = await acmeHoldsThree();

    const result = await world.holdings.execute({ actor: tenantActor(ACME, 'tenant_viewer'), tenantId: ACME, state: 'reserved' });

    expect(result.ok && result.value.items.map((n) => n.number)).toEqual(['+93701000002']);
  });

  it('pages with a cursor', async () => {
    const world = await acmeHoldsThree();

    const first = await world.holdings.execute({ actor: tenantActor(ACME), tenantId: ACME, limit: 2 });
    const next = first.ok ? first.value.next : null;
    const second = await world.holdings.execute({ actor: tenantActor(ACME), tenantId: ACME, limit: 2, ...(next === null ? {} : { after: next }) });

    expect([first.ok && first.value.items.length, next, second.ok && second.value.items.map((n) => n.number), second.ok && second.value.next]).toEqual([
      2,
      '+93701000002',
      ['+93701000003'],
      null,
    ]);
  });

  it("refuses a tenant listing another tenant's holdings", async () => {
    const world = await acmeHoldsThree();

    expect(await world.holdings.execute({ actor: tenantActor(SHOP), tenantId: ACME })).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });

  it('refuses an unknown state filter', async () => {
    const world = createWorld();

    const result = await world.holdings.execute({ actor: tenantActor(ACME), tenantId: ACME, state: 'quarantined' as 'reserved' });

    expect(result).toMatchObject({ ok: false, error: { details: { field: 'state' } } });
  });

  it('refuses a page size above 500', async () => {
    const world = createWorld();

    expect(await world.holdings.execute({ actor: tenantActor(ACME), tenantId: ACME, limit: 501 })).toMatchObject({ ok: false, error: { details: { field: 'limit' } } });
  });

  it('refuses an empty tenant', async () => {
    const world = createWorld();

    expect(await world.holdings.execute({ actor: staffActor('auditor'), tenantId: '' })).toMatchObject({ ok: false, error: { details: { field: 'tenantId' } } });
  });
});

describe('ListTenantPools', () => {
  it("lists a tenant's own pools", async () => {
    const world = createWorld();

    const result = await world.listTenantPools.execute({ actor: tenantActor(SHOP), tenantId: SHOP });

    expect(result).toEqual({ ok: true, value: [{ id: world.tenantPools.shop.id, tenantId: SHOP, name: 'Shop senders', segment: 'smb', allowedTiers: ['standard', 'silver'] }] });
  });

  it("refuses another tenant's pools", async () => {
    const world = createWorld();

    expect(await world.listTenantPools.execute({ actor: tenantActor(SHOP), tenantId: ACME })).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });

  it('refuses an empty tenant', async () => {
    const world = createWorld();

    expect(await world.listTenantPools.execute({ actor: staffActor('admin'), tenantId: '' })).toMatchObject({ ok: false, error: { details: { field: 'tenantId' } } });
  });
});
