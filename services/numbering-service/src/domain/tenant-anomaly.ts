/**
 * Anomaly rules over one tenant's reservation activity (docs/events.md, "Anomaly signals"): a sliding window
 * of reserve, release and conflict outcomes per tenant, judged on each new outcome. Pure: time comes in.
 *
 * - `reservation_churn`: reserve–release cycles (the smaller of the tenant's reservations and releases in the
 *   window) reach `churnCycles`. Bulk reservations alone are not churn; reserving and giving numbers back
 *   over and over is (number probing, hoarding by rotation).
 * - `conflict_rate`: of the tenant's reserve and release attempts in the window that either succeeded or lost
 *   to a conflict (a compare-and-swap race, or a reservation of a number that is not available), the
 *   conflicting share reaches `conflictRate`, once there are at least `minAttempts` of them.
 *
 * A tenant is signalled at most once per window: after a signal, its next one can come `windowMs` later at
 * the earliest, whatever it does meanwhile (no storm).
 */
export type TenantActivityKind = 'reserve' | 'release' | 'conflict';

export const ANOMALY_RULES = ['reservation_churn', 'conflict_rate'] as const;
export type AnomalyRule = (typeof ANOMALY_RULES)[number];

export interface AnomalyThresholds {
  readonly windowMs: number;
  /** Reserve–release cycles within the window that make a churn signal. */
  readonly churnCycles: number;
  /** Share of conflicting attempts (0 < rate ≤ 1) that makes a conflict-rate signal. */
  readonly conflictRate: number;
  /** Attempts in the window below which the conflict rate is not judged (a few unlucky races are normal). */
  readonly minAttempts: number;
}

export const defaultAnomalyThresholds: AnomalyThresholds = Object.freeze({
  windowMs: 5 * 60_000,
  churnCycles: 20,
  conflictRate: 0.2,
  minAttempts: 20,
});

/** Throws a RangeError on a nonsensical threshold (configuration is validated at start-up). */
export function checkAnomalyThresholds(thresholds: AnomalyThresholds): AnomalyThresholds {
  if (!Number.isInteger(thresholds.windowMs) || thresholds.windowMs < 1000) throw new RangeError('windowMs must be an integer ≥ 1000');
  if (!Number.isInteger(thresholds.churnCycles) || thresholds.churnCycles < 1) throw new RangeError('churnCycles must be an integer ≥ 1');
  if (!(thresholds.conflictRate > 0 && thresholds.conflictRate <= 1)) throw new RangeError('conflictRate must be in (0, 1]');
  if (!Number.isInteger(thresholds.minAttempts) || thresholds.minAttempts < 1) throw new RangeError('minAttempts must be an integer ≥ 1');
  return Object.freeze({ ...thresholds });
}

/** What one tenant did in the window that crossed a threshold. */
export interface TenantAnomaly {
  readonly tenantId: string;
  /** The rules crossed, in {@link ANOMALY_RULES} order (at least one). */
  readonly rules: readonly AnomalyRule[];
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly reservations: number;
  readonly releases: number;
  readonly conflicts: number;
  readonly attempts: number;
  /** conflicts ÷ attempts (0 when there were none). */
  readonly conflictRate: number;
}

interface TenantWindow {
  /** Outcomes in time order, oldest first. */
  readonly outcomes: { readonly at: number; readonly kind: TenantActivityKind }[];
  /** When the tenant was last signalled. */
  lastSignalAt: number | null;
}

/** How many outcomes between two sweeps that forget idle tenants (bounds memory). */
const SWEEP_EVERY = 1024;

export class TenantAnomalyDetector {
  private readonly tenants = new Map<string, TenantWindow>();
  private sinceSweep = 0;

  constructor(readonly thresholds: AnomalyThresholds = defaultAnomalyThresholds) {
    checkAnomalyThresholds(thresholds);
  }

  /** Records one outcome of `tenantId` at `at`; answers the anomaly when this outcome makes one. */
  record(tenantId: string, kind: TenantActivityKind, at: Date): TenantAnomaly | null {
    const now = at.getTime();
    if ((this.sinceSweep += 1) >= SWEEP_EVERY) this.sweep(now);
    let window = this.tenants.get(tenantId);
    if (window === undefined) {
      window = { outcomes: [], lastSignalAt: null };
      this.tenants.set(tenantId, window);
    }
    window.outcomes.push({ at: now, kind });
    this.prune(window, now);
    if (window.lastSignalAt !== null && now - window.lastSignalAt < this.thresholds.windowMs) return null;

    let reservations = 0;
    let releases = 0;
    let conflicts = 0;
    for (const outcome of window.outcomes) {
      if (outcome.kind === 'reserve') reservations += 1;
      else if (outcome.kind === 'release') releases += 1;
      else conflicts += 1;
    }
    const attempts = reservations + releases + conflicts;
    const conflictRate = attempts === 0 ? 0 : conflicts / attempts;
    const rules: AnomalyRule[] = [];
    if (Math.min(reservations, releases) >= this.thresholds.churnCycles) rules.push('reservation_churn');
    if (attempts >= this.thresholds.minAttempts && conflictRate >= this.thresholds.conflictRate) rules.push('conflict_rate');
    if (rules.length === 0) return null;

    window.lastSignalAt = now;
    return {
      tenantId,
      rules,
      windowStart: new Date(now - this.thresholds.windowMs),
      windowEnd: new Date(now),
      reservations,
      releases,
      conflicts,
      attempts,
      conflictRate,
    };
  }

  /** Tenants currently tracked (for tests of the memory bound). */
  get trackedTenants(): number {
    return this.tenants.size;
  }

  private prune(window: TenantWindow, now: number): void {
    const from = now - this.thresholds.windowMs;
    let drop = 0;
    while (drop < window.outcomes.length && (window.outcomes[drop]?.at ?? now) <= from) drop += 1;
    if (drop > 0) window.outcomes.splice(0, drop);
  }

  /** Forgets tenants with nothing in the window and no signal that still mutes them. */
  private sweep(now: number): void {
    this.sinceSweep = 0;
    for (const [tenantId, window] of this.tenants) {
      this.prune(window, now);
      const muted = window.lastSignalAt !== null && now - window.lastSignalAt < this.thresholds.windowMs;
      if (window.outcomes.length === 0 && !muted) this.tenants.delete(tenantId);
    }
  }
}
