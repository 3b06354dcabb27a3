/**
 * The routing engine's copy of operator-management's data (the events of
 * `packages/contracts/src/events/operator-management.events.ts`), reduced to what routing needs.
 */

export type SenderType = 'msisdn' | 'short_code' | 'alphanumeric';
export const SENDER_TYPES: readonly SenderType[] = ['msisdn', 'short_code', 'alphanumeric'];

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A weekly window: `end` ≤ `start` runs past midnight into the next day. */
export interface TimeWindow {
  readonly days: readonly Weekday[];
  /** `HH:mm`. */
  readonly start: string;
  /** `HH:mm` or `24:00`. */
  readonly end: string;
  /** IANA zone, e.g. `Asia/Kabul`. */
  readonly timezone: string;
}

export interface RoutingRule {
  readonly id: string;
  /** E.164 digit prefixes (no `+`). */
  readonly prefixes: readonly string[];
  /** null: every tenant. */
  readonly tenantId: string | null;
  /** null: any sender type. */
  readonly senderTypes: readonly SenderType[] | null;
  /** null: always. */
  readonly timeWindow: TimeWindow | null;
  readonly operatorId: string;
  /** Lower is tried first. */
  readonly priority: number;
  readonly weight: number;
  /** Operators tried in order when the rule's operator cannot take the message. */
  readonly failover: readonly string[];
}

/** One version of the platform-wide rule set (version 0 = empty). */
export interface RuleSet {
  readonly version: number;
  readonly rules: readonly RoutingRule[];
  readonly changedAt: Date;
}

export type BindMode = 'transceiver' | 'transmitter' | 'receiver';

export interface OperatorConnection {
  readonly id: string;
  readonly bindMode: BindMode;
  /** Messages per second; used as the weight when several connections can carry a message. */
  readonly throughputLimit: number;
}

/** What routing knows of an operator: from `ops.operator.changed.v1` / `ops.operator.deleted.v1`. */
export interface OperatorSnapshot {
  readonly id: string;
  readonly code: string;
  readonly status: 'active' | 'suspended' | 'deleted';
  readonly connections: readonly OperatorConnection[];
  readonly version: number;
}

export type HealthState = 'up' | 'degraded' | 'down';
export type BindState = 'bound' | 'unbound' | 'binding';

export interface ConnectionHealth {
  readonly connectionId: string;
  readonly bindState: BindState;
  readonly errorRate: number;
}

/** The operator's derived health: from `ops.operator-health.changed.v1`. */
export interface OperatorHealth {
  readonly operatorId: string;
  readonly state: HealthState;
  readonly connections: readonly ConnectionHealth[];
  readonly changedAt: Date;
}

/** A question put to the routing engine. */
export interface RouteQuery {
  /** E.164 with or without `+`. */
  readonly destination: string;
  readonly tenantId: string;
  readonly senderType: SenderType;
}

/** One operator and connection that can carry the message. */
export interface RouteTarget {
  readonly operatorId: string;
  readonly connectionId: string;
  /** The rule that brought this operator in (as target or through its failover list). */
  readonly ruleId: string;
  /** How it is ranked: the rule's own operator or one of its failover operators. */
  readonly via: 'rule' | 'failover';
}

/** Why an operator named by a matching rule was left out. */
export type SkipReason = 'down' | 'no-health-report' | 'suspended' | 'deleted' | 'unknown-operator' | 'no-submit-connection';

export interface SkippedOperator {
  readonly operatorId: string;
  readonly reason: SkipReason;
}

export type RouteDecision =
  | {
      readonly outcome: 'route';
      readonly target: RouteTarget;
      /** The remaining usable targets, in the order to try them. */
      readonly failover: readonly RouteTarget[];
      readonly skipped: readonly SkippedOperator[];
      readonly ruleSetVersion: number;
    }
  /** No rule matches the destination, tenant, sender type and time: permanent. */
  | { readonly outcome: 'no-route'; readonly ruleSetVersion: number }
  /**
   * Rules match but none of their operators can take the message now (down, no health report yet,
   * suspended, deleted, unknown, no connection able to submit).
   */
  | { readonly outcome: 'unavailable'; readonly skipped: readonly SkippedOperator[]; readonly ruleSetVersion: number };
