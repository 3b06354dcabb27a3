import { describe, expect, it } from 'vitest';
import { ReleaseNumber, ReserveNumber, TenantAnomalyMonitor } from '../../../src/index.js';
import type { AnomalyThresholds, TenantAnomaly, UnitOfWork } from '../../../src/index.js';
import { ACME, SHOP, createWorld, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const THRESHOLDS: AnomalyThresholds = { windowMs: 60_000, churnCycles: 3, conflictRate: 0.5, minAttempts: 4 };

/** A world whose reserve and release use cases report to a monitor, as the service wires them. */
function watchedWorld(thresholds = THRESHOLDS) {
  const world = createWorld();
  const monitor = new TenantAnomalyMonitor({ unitOfWork: world.store.unitOfWork, clock: world.clock, ids: world.ids, thresholds });
  const reserve = new ReserveNumber(world.deps, { activity: monitor });
  const release = new ReleaseNumber(world.deps, monitor);
  const pools: Record<string, string> = { [ACME]: world.tenantPools.acme.id, [SHOP]: world.tenantPools.shop.id };
  return {
    world,
    monitor,
    reserve: (number: string, tenantId = ACME) =>
      reserve.execute({ actor: tenantActor(tenantId), idempotencyKey: world.key(), number, tenantId, tenantPoolId: pools[tenantId] ?? '', ttlSeconds: 3600 }),
    release: (number: string, tenantId = ACME) => release.execute({ actor: tenantActor(tenantId), idempotencyKey: world.key(), number, tenantId }),
  };
}

const signals = (world: World) => world.store.outboxEvents().filter((e) => e.type === 'numbering.anomaly.detected.v1');

describe('anomaly signals from reserve and release', () => {
  it('publishes one signal through the outbox when a tenant churns reservations, and no more in the window', async () => {
    const w = watchedWorld();
    for (let i = 1; i <= 6; i += 1) {
      const number = `+9370100000${i}`;
      w.world.addNumber(number);
      await w.reserve(number);
      await w.release(number);
      w.world.clock.advance(1000);
    }
    await w.monitor.flush();

    expect(signals(w.world)).toHaveLength(1);
    expect(signals(w.world)[0]).toMatchObject({
      aggregateType: 'tenant',
      aggregateId: ACME,
      tenantId: ACME,
      data: {
        tenantId: ACME,
        rules: ['reservation_churn'],
        reservations: 3,
        releases: 3,
        conflicts: 0,
        thresholds: { windowSeconds: 60, churnCycles: 3, conflictRate: 0.5, minAttempts: 4 },
      },
    });
  });

  it('counts reservations of numbers already taken as conflicts', async () => {
    const w = watchedWorld();
    w.world.addNumber('+93701000001');
    w.world.addNumber('+93701000002');
    await w.reserve('+93701000001', SHOP);
    await w.reserve('+93701000002');
    for (let i = 0; i < 3; i += 1) await w.reserve('+93701000001');
    await w.monitor.flush();

    expect(signals(w.world).map((e) => e.data)).toEqual([
      expect.objectContaining({ tenantId: ACME, rules: ['conflict_rate'], attempts: 4, conflicts: 3, conflictRate: 0.75 }),
    ]);
  });

  it('does not count refusals that are not conflicts (bad input, permissions)', async () => {
    const w = watchedWorld({ ...THRESHOLDS, minAttempts: 1, conflictRate: 0.01 });
    for (let i = 0; i < 5; i += 1) await w.reserve('not-a-number');
    await w.monitor.flush();

    expect(signals(w.world)).toEqual([]);
  });

  it('keeps answering requests when the signal cannot be written, and reports the loss', async () => {
    const w = createWorld();
    const lost: TenantAnomaly[] = [];
    const failing: UnitOfWork = { run: () => Promise.reject(new Error('database down')) };
    const monitor = new TenantAnomalyMonitor({
      unitOfWork: failing,
      clock: w.clock,
      ids: w.ids,
      thresholds: { ...THRESHOLDS, churnCycles: 1 },
      onPublishFailed: (_error, anomaly) => lost.push(anomaly),
    });

    monitor.record(ACME, 'reserve');
    monitor.record(ACME, 'release');
    await monitor.flush();

    expect(lost.map((a) => a.tenantId)).toEqual([ACME]);
  });
});
