import { describe, expect, it } from 'vitest';
import { checkAnomalyThresholds, TenantAnomalyDetector } from '../../../src/index.js';
import type { AnomalyThresholds, TenantActivityKind } from '../../../src/index.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const THRESHOLDS: AnomalyThresholds = { windowMs: 60_000, churnCycles: 3, conflictRate: 0.5, minAttempts: 4 };

/** Records `kinds` for `tenant`, one per millisecond from `startMs`; answers the signals they made. */
function feed(detector: TenantAnomalyDetector, tenant: string, kinds: readonly TenantActivityKind[], startMs = 0) {
  return kinds.map((kind, i) => detector.record(tenant, kind, at(startMs + i))).filter((s) => s !== null);
}

const cycles = (n: number): TenantActivityKind[] => Array.from({ length: n }, () => ['reserve', 'release'] as const).flat();

describe('tenant anomaly rules', () => {
  it('signals churn when reserve–release cycles in the window reach the threshold', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);

    const signals = feed(detector, 'acme', cycles(3));

    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ tenantId: 'acme', rules: ['reservation_churn'], reservations: 3, releases: 3, conflicts: 0 });
    expect(signals[0]?.windowEnd).toEqual(at(5));
    expect(signals[0]?.windowStart).toEqual(at(5 - 60_000));
  });

  it('does not count bulk reservations without releases as churn', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);

    expect(feed(detector, 'acme', Array.from({ length: 100 }, () => 'reserve' as const))).toEqual([]);
  });

  it('stays quiet one cycle short of the churn threshold', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);

    expect(feed(detector, 'acme', [...cycles(2), 'reserve'])).toEqual([]);
  });

  it('signals a conflict rate at the threshold once there are enough attempts', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);

    const signals = feed(detector, 'acme', ['reserve', 'conflict', 'reserve', 'conflict']);

    expect(signals).toEqual([expect.objectContaining({ rules: ['conflict_rate'], attempts: 4, conflicts: 2, conflictRate: 0.5 })]);
  });

  it('does not judge the conflict rate below the minimum number of attempts', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);

    expect(feed(detector, 'acme', ['conflict', 'conflict', 'conflict'])).toEqual([]);
  });

  it('names both rules when one outcome crosses both', () => {
    const detector = new TenantAnomalyDetector({ ...THRESHOLDS, churnCycles: 1 });

    const signals = feed(detector, 'acme', ['conflict', 'conflict', 'reserve', 'release']);

    expect(signals.map((s) => s.rules)).toEqual([['reservation_churn', 'conflict_rate']]);
  });

  it('signals a tenant at most once per window, then again once the window has passed', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);

    const first = feed(detector, 'acme', cycles(10));
    const sameWindow = feed(detector, 'acme', cycles(10), 30_000);
    const nextWindow = feed(detector, 'acme', cycles(3), 60_000);

    expect([first.length, sameWindow.length, nextWindow.length]).toEqual([1, 0, 1]);
  });

  it('forgets outcomes older than the window', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);
    feed(detector, 'acme', cycles(2));

    expect(feed(detector, 'acme', ['reserve', 'release'], 60_000)).toEqual([]);
  });

  it('judges each tenant on its own outcomes', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);
    feed(detector, 'acme', cycles(2));

    expect(feed(detector, 'shop', ['reserve', 'release'], 10)).toEqual([]);
    expect(feed(detector, 'acme', ['reserve', 'release'], 20)).toHaveLength(1);
  });

  it('forgets idle tenants, so memory follows the active ones', () => {
    const detector = new TenantAnomalyDetector(THRESHOLDS);
    for (let i = 0; i < 500; i += 1) detector.record(`tenant-${i}`, 'reserve', at(i));

    for (let i = 0; i < 1100; i += 1) detector.record('busy', 'reserve', at(120_000 + i));

    expect(detector.trackedTenants).toBe(1);
  });

  it.each([
    [{ windowMs: 999 }, 'windowMs'],
    [{ churnCycles: 0 }, 'churnCycles'],
    [{ conflictRate: 0 }, 'conflictRate'],
    [{ conflictRate: 1.5 }, 'conflictRate'],
    [{ minAttempts: 0.5 }, 'minAttempts'],
  ])('refuses the thresholds %o, naming %s', (override, name) => {
    expect(() => checkAnomalyThresholds({ ...THRESHOLDS, ...override })).toThrow(name);
  });
});
