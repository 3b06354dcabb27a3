import type { Clock } from '@sms/kernel';
import { DEFAULT_HEALTH_THRESHOLDS, deriveOperatorHealth, type HealthThresholds, type OperatorHealth } from '../domain/operator-health.js';
import type { Operator } from '../domain/operator.js';
import { connectionsOf } from './ingest-health-report.use-case.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { CurrentHealthRepository } from './ports/current-health.repository.port.js';

export interface SweepStaleHealthResult {
  readonly checked: number;
  /** Operators whose state changed (an event was written for each). */
  readonly changed: readonly string[];
  /** Operators skipped because a report arrived meanwhile; the next sweep sees them again. */
  readonly contended: readonly string[];
}

/**
 * Re-derives every operator's health at the current time, so an operator whose gateway stopped
 * reporting goes down (reports older than `staleAfterMs` count as unbound) even though no new
 * report arrives. Run periodically (every `staleAfterMs / 3` or so) by the service's scheduler.
 */
export class SweepStaleHealth {
  private readonly thresholds: HealthThresholds;

  constructor(
    private readonly deps: {
      readonly operators: { findById(id: string): Promise<Operator | null> };
      readonly currentHealth: CurrentHealthRepository;
      readonly events: OpsEventFactory;
      readonly clock: Clock;
      readonly thresholds?: HealthThresholds;
    },
  ) {
    this.thresholds = deps.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  }

  async execute(): Promise<SweepStaleHealthResult> {
    const { operators, currentHealth, events, clock } = this.deps;
    const now = clock.now();
    const changed: string[] = [];
    const contended: string[] = [];
    const all = await currentHealth.list();
    for (const current of all) {
      const operator = await operators.findById(current.operatorId);
      if (!operator || operator.status === 'deleted') continue;
      const connections = connectionsOf(operator, current.connections);
      const derived = deriveOperatorHealth(operator.connections, connections, now, this.thresholds);
      if (derived.state === current.state && derived.reason === current.reason) continue;
      const stateChanged = derived.state !== current.state;
      const next: OperatorHealth = {
        ...current,
        state: derived.state,
        reason: derived.reason,
        connections,
        stateChangedAt: stateChanged ? now : current.stateChangedAt,
        version: current.version + 1,
      };
      const changeEvents = stateChanged ? [events.healthChanged(operator.code, current.state, next)] : [];
      const saved = await currentHealth.save(next, current.version, changeEvents);
      if (saved === 'version_conflict') contended.push(operator.id);
      else if (stateChanged) changed.push(operator.id);
    }
    return { checked: all.length, changed, contended };
  }
}
