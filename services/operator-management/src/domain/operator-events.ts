import type { EventEnvelope } from '@sms/kernel';
import type { OperatorKind } from './mcc-mnc.js';
import type { Operator, OperatorStatus } from './operator.js';
import type { BindState, ConnectionHealth, HealthState } from './operator-health.js';
import type { RoutingRule } from './routing-rule.js';
import type { BindMode } from './smpp-connection.js';

/**
 * The four events operator-management produces (docs/domain-model.md, "Events"):
 * created and updated share one type because every consumer upserts the snapshot by id and
 * version; deletion is its own type because consumers must drop the operator from routing and
 * unbind it. No event carries a password or any other secret value.
 */
export const OPS_EVENT_TYPES = {
  operatorChanged: 'ops.operator.changed.v1',
  operatorDeleted: 'ops.operator.deleted.v1',
  operatorHealthChanged: 'ops.operator-health.changed.v1',
  routingRulesChanged: 'ops.routing-rules.changed.v1',
} as const;

export const OPS_AGGREGATE_TYPES = {
  operator: 'operator',
  operatorHealth: 'operator-health',
  routingRuleSet: 'routing-rule-set',
} as const;

/** Aggregate id of the one platform-wide routing rule set. */
export const ROUTING_RULE_SET_ID = 'routing-rules';

/** That a bind password exists, and its version; never the password. */
export interface AuthenticationSnapshot {
  readonly configured: boolean;
  readonly version: number | null;
  readonly changedAt: string | null;
}

export interface ConnectionSnapshot {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly systemType: string;
  readonly bindMode: BindMode;
  readonly tls: boolean;
  readonly windowSize: number;
  readonly throughputLimit: number;
  readonly authentication: AuthenticationSnapshot;
}

/** An operator as JSON: the data of `ops.operator.changed.v1` and the operator read model. */
export interface OperatorSnapshot {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: OperatorKind;
  readonly mcc: string | null;
  readonly mnc: string | null;
  readonly country: string;
  readonly status: OperatorStatus;
  readonly prefixes: readonly string[];
  readonly connections: readonly ConnectionSnapshot[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deletedAt: string | null;
}

export function operatorSnapshot(operator: Operator): OperatorSnapshot {
  return {
    id: operator.id,
    code: operator.code,
    name: operator.name,
    kind: operator.kind,
    mcc: operator.mcc,
    mnc: operator.mnc,
    country: operator.country,
    status: operator.status,
    prefixes: [...operator.prefixes],
    connections: operator.connections.map((c) => ({
      id: c.id,
      host: c.host,
      port: c.port,
      systemId: c.systemId,
      systemType: c.systemType,
      bindMode: c.bindMode,
      tls: c.tls,
      windowSize: c.windowSize,
      throughputLimit: c.throughputLimit,
      authentication: {
        configured: c.authentication !== null,
        version: c.authentication?.version ?? null,
        changedAt: c.authentication?.changedAt.toISOString() ?? null,
      },
    })),
    version: operator.version,
    createdAt: operator.createdAt.toISOString(),
    updatedAt: operator.updatedAt.toISOString(),
    deletedAt: operator.deletedAt?.toISOString() ?? null,
  };
}

export interface OperatorChangedData {
  readonly change: 'created' | 'updated';
  /** What changed: `name`, `prefixes`, `connections[<id>]`, `connections[<id>].authentication`, …; every field on creation. */
  readonly changedFields: readonly string[];
  readonly operator: OperatorSnapshot;
}

export interface OperatorDeletedData {
  readonly operatorId: string;
  readonly code: string;
  readonly mcc: string | null;
  readonly mnc: string | null;
  readonly version: number;
  readonly deletedAt: string;
}

export interface ConnectionHealthSnapshot {
  readonly connectionId: string;
  readonly bindState: BindState;
  readonly latencyMs: number;
  readonly errorRate: number;
  readonly throughputPerSecond: number;
  readonly reportedAt: string;
}

export interface OperatorHealthChangedData {
  readonly operatorId: string;
  readonly operatorCode: string;
  /** Null for the first state ever derived for this operator. */
  readonly previousState: HealthState | null;
  readonly state: HealthState;
  readonly reason: string;
  readonly connections: readonly ConnectionHealthSnapshot[];
  readonly changedAt: string;
}

export interface RoutingRulesChangedData {
  readonly version: number;
  readonly previousVersion: number;
  /** The whole current rule set, ordered by priority then id, so a consumer can replace its copy. */
  readonly rules: readonly RoutingRule[];
  readonly changedAt: string;
}

export const connectionHealthSnapshot = (connectionId: string, h: ConnectionHealth): ConnectionHealthSnapshot => ({
  connectionId,
  bindState: h.bindState,
  latencyMs: h.latencyMs,
  errorRate: h.errorRate,
  throughputPerSecond: h.throughputPerSecond,
  reportedAt: h.at.toISOString(),
});

type Typed<T extends string, D> = EventEnvelope<D> & { readonly type: T };

/** Every event this service writes to its outbox. */
export type OpsEvent =
  | Typed<typeof OPS_EVENT_TYPES.operatorChanged, OperatorChangedData>
  | Typed<typeof OPS_EVENT_TYPES.operatorDeleted, OperatorDeletedData>
  | Typed<typeof OPS_EVENT_TYPES.operatorHealthChanged, OperatorHealthChangedData>
  | Typed<typeof OPS_EVENT_TYPES.routingRulesChanged, RoutingRulesChangedData>;
