import { describe, expect, it } from 'vitest';
import { InMemoryNumberingStore } from '../../../src/index.js';
import { ACME, createWorld, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const MSISDN = '+93701234567';

const reserve = (world: World, key: string, ttlSeconds = 600) =>
  world.reserve.execute({
    actor: tenantActor(ACME),
    idempotencyKey: key,
    number: MSISDN,
    tenantId: ACME,
    tenantPoolId: world.tenantPools.acme.id,
    ttlSeconds,
  });

describe('idempotent commands', () => {
  it('answers a retry with the same key and body with the first result, without a second effect', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    const first = await reserve(world, 'k1');

    const retry = await reserve(world, 'k1');

    expect(retry).toEqual(first);
    expect(world.store.outboxEvents()).toHaveLength(1);
    expect(world.store.auditRows()).toHaveLength(1);
  });

  it('refuses the same key with a different body', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await reserve(world, 'k1', 600);

    const other = await reserve(world, 'k1', 900);

    expect(other).toMatchObject({ ok: false, error: { code: 'NUMBERING.IDEMPOTENCY_KEY_REUSED', details: { field: 'idempotencyKey' } } });
  });

  it('keeps keys of different tenants apart', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.addNumber('+93701234568');
    await reserve(world, 'shared-key');

    const other = await world.reserve.execute({
      actor: tenantActor('tenant-shop'),
      idempotencyKey: 'shared-key',
      number: '+93701234568',
      tenantId: 'tenant-shop',
      tenantPoolId: world.tenantPools.shop.id,
    });

    expect(other.ok).toBe(true);
  });

  it('lets only one of two concurrent calls with one key run; the other is told it is in progress', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const [a, b] = await Promise.all([reserve(world, 'k1'), reserve(world, 'k1')]);

    expect([a.ok, b.ok ? 'ok' : b.error.code]).toEqual([true, 'NUMBERING.IDEMPOTENCY_IN_PROGRESS']);
    expect(world.store.outboxEvents()).toHaveLength(1);
  });

  it('replays a business refusal too', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    await world.reserve.execute({
      actor: tenantActor('tenant-shop'),
      idempotencyKey: 'other',
      number: MSISDN,
      tenantId: 'tenant-shop',
      tenantPoolId: world.tenantPools.shop.id,
    });
    const refused = await reserve(world, 'k1');

    world.store.seedNumber({ ...(world.store.numberByValue(MSISDN) ?? fail()), lifecycle: { state: 'available' } });
    const retry = await reserve(world, 'k1');

    expect([refused.ok ? null : refused.error.code, retry]).toEqual(['NUMBERING.NUMBER_NOT_AVAILABLE', refused]);
  });

  it('lets a retry after a lost race run again instead of replaying the conflict', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    const [a, b] = await Promise.all([reserve(world, 'k1'), reserve(world, 'k2')]);
    const loserKey = a.ok ? 'k2' : 'k1';
    expect([a, b].filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.code))).toEqual(['NUMBERING.CONFLICT']);

    const retry = await reserve(world, loserKey);

    expect(retry).toMatchObject({ ok: false, error: { code: 'NUMBERING.NUMBER_NOT_AVAILABLE' } });
  });

  it('releases the key when the command throws, so a retry runs', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.store.failNext('outbox.add');
    await expect(reserve(world, 'k1')).rejects.toThrow(/injected fault/);

    const retry = await reserve(world, 'k1');

    expect(retry.ok).toBe(true);
  });

  it('forgets a key after the retention window', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.addNumber('+93701234568');
    await reserve(world, 'k1');
    world.clock.advance(48 * 3_600_000);

    const reused = await world.reserve.execute({
      actor: tenantActor(ACME),
      idempotencyKey: 'k1',
      number: '+93701234568',
      tenantId: ACME,
      tenantPoolId: world.tenantPools.acme.id,
    });

    expect(reused.ok).toBe(true);
  });

  it('lets a retry take over a claim abandoned by a crashed call after the claim timeout', async () => {
    const store = new InMemoryNumberingStore({ idempotency: { claimTimeoutMs: 1000 } });
    const request = { scope: 's', key: 'k', fingerprint: 'f' };
    await store.idempotency.claim(request, new Date(0));

    const early = await store.idempotency.claim(request, new Date(999));
    const late = await store.idempotency.claim(request, new Date(1000));

    expect([early.status, late.status]).toEqual(['in_progress', 'claimed']);
  });
});

describe('unit of work', () => {
  it('rolls the state change and the audit row back when writing the event fails', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.store.failNext('outbox.add');

    await expect(reserve(world, 'k1')).rejects.toThrow();

    expect([world.store.numberByValue(MSISDN)?.lifecycle.state, world.store.auditRows().length, world.store.outboxEvents().length]).toEqual([
      'available',
      0,
      0,
    ]);
  });

  it('rolls the state change back when appending the audit row fails', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.store.failNext('audit.append');

    await expect(reserve(world, 'k1')).rejects.toThrow();

    expect([world.store.numberByValue(MSISDN)?.version, world.store.outboxEvents().length]).toEqual([1, 0]);
  });

  it('leaves nothing behind when the commit itself fails', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.store.failNext('commit');

    await expect(reserve(world, 'k1')).rejects.toThrow();

    expect([world.store.numberByValue(MSISDN)?.lifecycle.state, world.store.auditRows().length]).toEqual(['available', 0]);
  });

  it('frees the row lock after a failure, so the next writer is not blocked', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    world.store.failNext('outbox.add');
    await expect(reserve(world, 'k1')).rejects.toThrow();

    expect((await reserve(world, 'k2')).ok).toBe(true);
  });
});

function fail(): never {
  throw new Error('arrange: number missing');
}
