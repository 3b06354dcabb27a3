import { err, ok, type Clock, type Result } from '@sms/kernel';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  deriveOperatorHealth,
  healthReportIssues,
  type ConnectionHealth,
  type ConnectionHealthReport,
  type HealthState,
  type HealthThresholds,
  type OperatorHealth,
} from '../domain/operator-health.js';
import type { Operator } from '../domain/operator.js';
import {
  connectionNotFound,
  operatorDeleted,
  operatorNotFound,
  validationFailed,
  type OpsErrorOf,
} from '../domain/operator-management-errors.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { CurrentHealthRepository } from './ports/current-health.repository.port.js';
import type { HealthLogRepository } from './ports/health-log.repository.port.js';

export interface IngestHealthReportResult {
  readonly operatorId: string;
  readonly state: HealthState;
  /** True when this report moved the operator to another state (and an event was written). */
  readonly stateChanged: boolean;
  /** `ignored` for a report that is not newer than the one already held for its connection (a repeat or out of order). */
  readonly outcome: 'applied' | 'ignored';
}

export type IngestHealthReportError = OpsErrorOf<
  'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_NOT_FOUND' | 'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_NOT_FOUND'
>;

/** Attempts of the compare-and-swap on current health before giving up (a fault: the consumer retries). */
export const MAX_HEALTH_SAVE_ATTEMPTS = 10;

/** The operator's configured connections and their latest reports, dropping connections it no longer has. */
export function connectionsOf(operator: Operator, known: ReadonlyMap<string, ConnectionHealth> | undefined): Map<string, ConnectionHealth> {
  const connections = new Map<string, ConnectionHealth>();
  for (const c of operator.connections) {
    const report = known?.get(c.id);
    if (report) connections.set(c.id, report);
  }
  return connections;
}

/**
 * Takes one per-connection report from the SMPP gateway: appends it to the health log, updates
 * the operator's current health and, only when the derived state changes (up, degraded, down),
 * writes `ops.operator-health.changed.v1`. Repeated or older reports change nothing.
 */
export class IngestHealthReport {
  private readonly thresholds: HealthThresholds;

  constructor(
    private readonly deps: {
      readonly operators: { findById(id: string): Promise<Operator | null> };
      readonly healthLog: HealthLogRepository;
      readonly currentHealth: CurrentHealthRepository;
      readonly events: OpsEventFactory;
      readonly clock: Clock;
      readonly thresholds?: HealthThresholds;
    },
  ) {
    this.thresholds = deps.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  }

  async execute(report: ConnectionHealthReport): Promise<Result<IngestHealthReportResult, IngestHealthReportError>> {
    const { operators, healthLog, currentHealth, events, clock } = this.deps;
    const now = clock.now();
    const issues = healthReportIssues(report, now);
    if (issues.length > 0) return err(validationFailed(issues));
    const operator = await operators.findById(report.operatorId);
    if (!operator) return err(operatorNotFound(report.operatorId));
    if (operator.status === 'deleted') return err(operatorDeleted(operator.id));
    if (!operator.connections.some((c) => c.id === report.connectionId)) return err(connectionNotFound(operator.id, report.connectionId));

    await healthLog.append({ ...report, receivedAt: now });

    const { operatorId: _operatorId, ...latest } = report;
    for (let attempt = 1; attempt <= MAX_HEALTH_SAVE_ATTEMPTS; attempt += 1) {
      const current = await currentHealth.get(operator.id);
      const held = current?.connections.get(report.connectionId);
      if (current && held && held.at.getTime() >= report.at.getTime()) {
        return ok({ operatorId: operator.id, state: current.state, stateChanged: false, outcome: 'ignored' });
      }
      const connections = connectionsOf(operator, current?.connections);
      connections.set(report.connectionId, latest);
      const derived = deriveOperatorHealth(operator.connections, connections, now, this.thresholds);
      const stateChanged = current?.state !== derived.state;
      const next: OperatorHealth = {
        operatorId: operator.id,
        state: derived.state,
        reason: derived.reason,
        connections,
        stateChangedAt: stateChanged || !current ? now : current.stateChangedAt,
        lastReportAt: current && current.lastReportAt > report.at ? current.lastReportAt : report.at,
        version: (current?.version ?? 0) + 1,
      };
      const changeEvents = stateChanged ? [events.healthChanged(operator.code, current?.state ?? null, next)] : [];
      if ((await currentHealth.save(next, current?.version ?? null, changeEvents)) === 'saved') {
        return ok({ operatorId: operator.id, state: next.state, stateChanged, outcome: 'applied' });
      }
    }
    throw new Error(`current health of operator ${operator.id} kept changing under ${MAX_HEALTH_SAVE_ATTEMPTS} attempts`);
  }
}
