import { connectionHealthSnapshot, operatorSnapshot, type ConnectionHealthSnapshot, type OperatorSnapshot } from '../domain/operator-events.js';
import type { Operator } from '../domain/operator.js';
import type { HealthState, OperatorHealth } from '../domain/operator-health.js';
import type { RoutingRule, RoutingRuleSet } from '../domain/routing-rule.js';

/**
 * Read models the edge serialises. None has a password or secret: the only response that does is
 * {@link ConnectionCredentials} of the credentials use case, for the SMPP gateway alone.
 */
export type OperatorView = OperatorSnapshot;

export const toOperatorView = (operator: Operator): OperatorView => operatorSnapshot(operator);

export interface OperatorHealthView {
  readonly operatorId: string;
  /** `unknown` until the first report arrives. */
  readonly state: HealthState | 'unknown';
  readonly reason: string;
  readonly stateChangedAt: string | null;
  readonly lastReportAt: string | null;
  readonly connections: readonly ConnectionHealthSnapshot[];
}

export const toHealthView = (health: OperatorHealth): OperatorHealthView => ({
  operatorId: health.operatorId,
  state: health.state,
  reason: health.reason,
  stateChangedAt: health.stateChangedAt.toISOString(),
  lastReportAt: health.lastReportAt.toISOString(),
  connections: [...health.connections].map(([id, h]) => connectionHealthSnapshot(id, h)),
});

export const unknownHealthView = (operatorId: string): OperatorHealthView => ({
  operatorId,
  state: 'unknown',
  reason: 'no health report received yet',
  stateChangedAt: null,
  lastReportAt: null,
  connections: [],
});

export interface RoutingRuleSetView {
  readonly version: number;
  readonly rules: readonly RoutingRule[];
  readonly updatedAt: string | null;
}

export const toRuleSetView = (set: RoutingRuleSet): RoutingRuleSetView => ({
  version: set.version,
  rules: set.rules,
  updatedAt: set.updatedAt?.toISOString() ?? null,
});
