import { describe, expect, it } from 'vitest';
import { ACME, DAY, T0, createWorld, leaseToAcme, reserveForAcme, staffActor, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const MSISDN = '+93701234567';
const compliance = staffActor('compliance');

const recall = (world: World, reason = 'compliance_violation', note?: string) =>
  world.recall.execute({ actor: compliance, idempotencyKey: world.key(), number: MSISDN, reason, ...(note === undefined ? {} : { note }) });
const resolve = (world: World, decision: string, quarantineReason?: string) =>
  world.resolveRecall.execute({
    actor: compliance,
    idempotencyKey: world.key(),
    number: MSISDN,
    decision,
    ...(quarantineReason === undefined ? {} : { quarantineReason }),
  });

describe('Recall', () => {
  it('takes a leased number back and holds it as recalled', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const result = await recall(world, 'tenant_suspended');

    expect(result).toMatchObject({ ok: true, value: { state: 'recalled', recall: { tenantId: ACME, recalledFrom: 'assigned', reason: 'tenant_suspended' } } });
    expect(world.store.outboxEvents().at(-1)?.type).toBe('numbering.number.recalled.v1');
  });

  it('takes a reserved number back', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);

    expect(await recall(world)).toMatchObject({ ok: true, value: { recall: { recalledFrom: 'reserved' } } });
  });

  it('records the compliance note in the audit row', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    await recall(world, 'regulator_order', 'ATRA case 2026-17');

    expect(world.store.auditRows().at(-1)?.details).toMatchObject({ note: 'ATRA case 2026-17', number: MSISDN });
  });

  it('refuses a number that is only available', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    expect(await recall(world)).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_TRANSITION' } });
  });

  it('refuses an unknown reason', async () => {
    const world = createWorld();

    expect(await recall(world, 'boredom')).toMatchObject({ ok: false, error: { details: { field: 'reason' } } });
  });

  it('refuses a note longer than 500 characters', async () => {
    const world = createWorld();

    expect(await recall(world, 'compliance_violation', 'x'.repeat(501))).toMatchObject({ ok: false, error: { details: { field: 'note' } } });
  });

  it('is refused to a tenant', async () => {
    const world = createWorld();

    const result = await world.recall.execute({ actor: tenantActor(ACME), idempotencyKey: 'x', number: MSISDN, reason: 'compliance_violation' });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});

describe('ResolveRecall', () => {
  it('quarantines a recalled number for 365 days by default', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    await recall(world);

    const result = await resolve(world, 'quarantine');

    expect(result).toMatchObject({
      ok: true,
      value: { quarantine: { reason: 'compliance_recall', endsAt: new Date(T0.getTime() + 365 * DAY).toISOString() } },
    });
  });

  it('quarantines for the release cool-off when compliance says so', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    await recall(world, 'tenant_deleted');

    expect(await resolve(world, 'quarantine', 'released')).toMatchObject({ ok: true, value: { quarantine: { reason: 'released' } } });
  });

  it('reinstates the lease of a number recalled in error, and it validates again', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);
    await recall(world);

    const result = await resolve(world, 'reinstate');
    const verdict = await world.validateLease.execute({ sender: MSISDN, tenantId: ACME, use: 'otp' });

    expect(result).toMatchObject({ ok: true, value: { state: 'assigned' } });
    expect(verdict.ok && verdict.value.verdict.valid).toBe(true);
  });

  it('refuses to reinstate a number recalled from a reservation', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserveForAcme(world, MSISDN);
    await recall(world);

    expect(await resolve(world, 'reinstate')).toMatchObject({ ok: false, error: { code: 'NUMBERING.NOT_REINSTATABLE' } });
  });

  it('refuses an unknown decision', async () => {
    const world = createWorld();

    expect(await resolve(world, 'forgive')).toMatchObject({ ok: false, error: { details: { field: 'decision' } } });
  });

  it('refuses a quarantine reason compliance may not pick', async () => {
    const world = createWorld();

    expect(await resolve(world, 'quarantine', 'reservation_cancelled')).toMatchObject({ ok: false, error: { details: { field: 'quarantineReason' } } });
  });

  it('is refused to commerce', async () => {
    const world = createWorld();

    const result = await world.resolveRecall.execute({ actor: staffActor('commerce'), idempotencyKey: 'x', number: MSISDN, decision: 'quarantine' });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});

describe('RetireNumber', () => {
  it('retires an available number for good', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const result = await world.retire.execute({ actor: staffActor('commerce'), idempotencyKey: 'x', number: MSISDN, reason: 'contract_ended' });

    expect(result).toMatchObject({ ok: true, value: { state: 'retired', retirement: { reason: 'contract_ended' } } });
  });

  it('refuses to retire a leased number before it is recalled', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await leaseToAcme(world, MSISDN);

    const result = await world.retire.execute({ actor: staffActor('admin'), idempotencyKey: 'x', number: MSISDN, reason: 'operator_withdrawn' });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_TRANSITION', details: { state: 'assigned' } } });
  });

  it('refuses an unknown reason', async () => {
    const world = createWorld();

    const result = await world.retire.execute({ actor: staffActor('admin'), idempotencyKey: 'x', number: MSISDN, reason: 'whim' });

    expect(result).toMatchObject({ ok: false, error: { details: { field: 'reason' } } });
  });

  it('refuses a malformed number', async () => {
    const world = createWorld();

    const result = await world.retire.execute({ actor: staffActor('admin'), idempotencyKey: 'x', number: '12', reason: 'whim' });

    expect(result).toMatchObject({ ok: false, error: { details: { field: 'number' } } });
  });

  it('is refused to a tenant', async () => {
    const world = createWorld();

    const result = await world.retire.execute({ actor: tenantActor(ACME), idempotencyKey: 'x', number: MSISDN, reason: 'administrative' });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});
