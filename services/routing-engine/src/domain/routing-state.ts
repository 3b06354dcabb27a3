import type { OperatorHealth, OperatorSnapshot, RuleSet } from './routing-model.js';

/**
 * Everything the routing table is built from. A projection of operator-management's events:
 * each change replaces one piece when it is newer than what is held, so a redelivered or
 * out-of-order event changes nothing.
 */
export interface RoutingState {
  /** null until the first rule set arrives (the table is not loaded). */
  readonly ruleSet: RuleSet | null;
  readonly operators: ReadonlyMap<string, OperatorSnapshot>;
  readonly health: ReadonlyMap<string, OperatorHealth>;
}

export const EMPTY_ROUTING_STATE: RoutingState = { ruleSet: null, operators: new Map(), health: new Map() };

/** Whether an incoming rule set replaces the one held: rule set versions only grow. */
export function isNewerRuleSet(current: RuleSet | null, incoming: RuleSet): boolean {
  return current === null || incoming.version > current.version;
}

/**
 * Whether an operator snapshot (or deletion, carried as a snapshot with status `deleted`) replaces
 * the one held: operator versions grow by one on every change, deletion included.
 */
export function isNewerOperator(current: OperatorSnapshot | undefined, incoming: OperatorSnapshot): boolean {
  return current === undefined || incoming.version > current.version;
}

/**
 * Whether a health change replaces the one held. Health events carry no version; they are ordered
 * by `changedAt` (operator-management derives them one at a time per operator, compare-and-swap).
 */
export function isNewerHealth(current: OperatorHealth | undefined, incoming: OperatorHealth): boolean {
  return current === undefined || incoming.changedAt.getTime() > current.changedAt.getTime();
}

export function withRuleSet(state: RoutingState, ruleSet: RuleSet): RoutingState {
  return isNewerRuleSet(state.ruleSet, ruleSet) ? { ...state, ruleSet } : state;
}

export function withOperator(state: RoutingState, operator: OperatorSnapshot): RoutingState {
  if (!isNewerOperator(state.operators.get(operator.id), operator)) return state;
  const operators = new Map(state.operators);
  operators.set(operator.id, operator);
  return { ...state, operators };
}

export function withHealth(state: RoutingState, health: OperatorHealth): RoutingState {
  if (!isNewerHealth(state.health.get(health.operatorId), health)) return state;
  const map = new Map(state.health);
  map.set(health.operatorId, health);
  return { ...state, health: map };
}
