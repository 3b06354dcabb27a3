import { issue, type FieldIssue } from './field-issue.js';
import type { BindMode } from './smpp-connection.js';

export type BindState = 'bound' | 'unbound' | 'binding';
export const BIND_STATES: readonly BindState[] = ['bound', 'unbound', 'binding'];

/** Operator health as routing sees it. */
export type HealthState = 'up' | 'degraded' | 'down';

/** One report from the SMPP gateway about one connection. */
export interface ConnectionHealthReport {
  readonly operatorId: string;
  readonly connectionId: string;
  readonly bindState: BindState;
  /** Submit-to-response latency the gateway measured, in milliseconds. */
  readonly latencyMs: number;
  /** Share of submits that failed, 0 to 1. */
  readonly errorRate: number;
  /** Messages per second the gateway pushed through the bind. */
  readonly throughputPerSecond: number;
  /** When the gateway measured this. */
  readonly at: Date;
}

/**
 * Thresholds of the health derivation (docs/domain-model.md, "Operator health"):
 * - a connection is *usable* when it is bound, its latest report is younger than `staleAfterMs`,
 *   it can submit (transceiver or transmitter) and its error rate is below `downErrorRate`;
 * - **down**: no connection is usable;
 * - **degraded**: some connection is usable, but a configured connection is not bound (or its
 *   report is stale), or a bound connection has error rate above `degradedErrorRate` or latency
 *   above `degradedLatencyMs`;
 * - **up**: otherwise.
 */
export interface HealthThresholds {
  readonly degradedErrorRate: number;
  readonly degradedLatencyMs: number;
  readonly downErrorRate: number;
  readonly staleAfterMs: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  degradedErrorRate: 0.05,
  degradedLatencyMs: 2_000,
  downErrorRate: 0.5,
  staleAfterMs: 90_000,
};

/** How far in the future a report's `at` may be (clock skew between gateway and us). */
export const MAX_REPORT_CLOCK_SKEW_MS = 5 * 60_000;

const isFiniteAtLeastZero = (n: number): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** Issues with a report's values; a report from the future beyond the allowed skew is refused. */
export function healthReportIssues(report: ConnectionHealthReport, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (report.operatorId.length === 0) issues.push(issue('operatorId', 'is required'));
  if (report.connectionId.length === 0) issues.push(issue('connectionId', 'is required'));
  if (!BIND_STATES.includes(report.bindState)) issues.push(issue('bindState', `must be one of ${BIND_STATES.join(', ')}`));
  if (!isFiniteAtLeastZero(report.latencyMs)) issues.push(issue('latencyMs', 'must be a number of milliseconds, 0 or more'));
  if (!isFiniteAtLeastZero(report.errorRate) || report.errorRate > 1) issues.push(issue('errorRate', 'must be a number from 0 to 1'));
  if (!isFiniteAtLeastZero(report.throughputPerSecond)) {
    issues.push(issue('throughputPerSecond', 'must be a number of messages per second, 0 or more'));
  }
  const at = report.at.getTime();
  if (Number.isNaN(at)) issues.push(issue('at', 'must be a valid instant'));
  else if (at > now.getTime() + MAX_REPORT_CLOCK_SKEW_MS) issues.push(issue('at', 'is too far in the future'));
  return issues;
}

/** The latest report of one connection, as kept in the operator's current health. */
export type ConnectionHealth = Omit<ConnectionHealthReport, 'operatorId'>;

/** A configured connection of the operator, as the derivation needs it. */
export interface ConfiguredConnection {
  readonly id: string;
  readonly bindMode: BindMode;
}

export interface DerivedHealth {
  readonly state: HealthState;
  /** One sentence saying why, for the event and the operator console. */
  readonly reason: string;
}

/**
 * Derives an operator's state from its configured connections and their latest reports, at
 * `now`. Pure: the same inputs give the same state, so repeated reports change nothing.
 */
export function deriveOperatorHealth(
  configured: readonly ConfiguredConnection[],
  latest: ReadonlyMap<string, ConnectionHealth>,
  now: Date,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): DerivedHealth {
  const problems: string[] = [];
  let usable = 0;
  let boundButFailing = 0;
  for (const connection of configured) {
    const report = latest.get(connection.id);
    if (!report) {
      problems.push(`connection ${connection.id} has not reported`);
      continue;
    }
    if (now.getTime() - report.at.getTime() > thresholds.staleAfterMs) {
      problems.push(`connection ${connection.id} has not reported for more than ${thresholds.staleAfterMs / 1000} s`);
      continue;
    }
    if (report.bindState !== 'bound') {
      problems.push(`connection ${connection.id} is ${report.bindState}`);
      continue;
    }
    if (report.errorRate >= thresholds.downErrorRate) {
      boundButFailing += 1;
      problems.push(`connection ${connection.id} error rate ${report.errorRate} ≥ ${thresholds.downErrorRate}`);
      continue;
    }
    if (report.errorRate > thresholds.degradedErrorRate) {
      problems.push(`connection ${connection.id} error rate ${report.errorRate} > ${thresholds.degradedErrorRate}`);
    }
    if (report.latencyMs > thresholds.degradedLatencyMs) {
      problems.push(`connection ${connection.id} latency ${report.latencyMs} ms > ${thresholds.degradedLatencyMs} ms`);
    }
    if (connection.bindMode !== 'receiver') usable += 1;
  }
  if (usable === 0) {
    if (configured.length === 0) return { state: 'down', reason: 'the operator has no connections' };
    const detail = problems.length > 0 ? problems.join('; ') : 'only receiver binds are bound, and they cannot submit';
    if (boundButFailing > 0) return { state: 'down', reason: `no usable transmit connection: ${detail}` };
    return { state: 'down', reason: `no transmit connection is bound: ${detail}` };
  }
  if (problems.length > 0) return { state: 'degraded', reason: problems.join('; ') };
  return { state: 'up', reason: `all ${configured.length} connection(s) bound and within thresholds` };
}

/**
 * The current health of one operator: its derived state and the latest report of each of its
 * connections. `version` guards concurrent ingest (compare-and-swap).
 */
export interface OperatorHealth {
  readonly operatorId: string;
  readonly state: HealthState;
  readonly reason: string;
  readonly connections: ReadonlyMap<string, ConnectionHealth>;
  /** When `state` last changed. */
  readonly stateChangedAt: Date;
  readonly lastReportAt: Date;
  readonly version: number;
}
