import type {
  HealthState,
  OperatorConnection,
  OperatorHealth,
  OperatorSnapshot,
  RouteDecision,
  RouteQuery,
  RouteTarget,
  RoutingRule,
  RuleSet,
  SkippedOperator,
  SkipReason,
} from './routing-model.js';
import { isWithinWindow } from './time-window.js';

/** A source of uniform numbers in [0, 1); injected so weighted choices are testable. */
export type RandomSource = () => number;

const MAX_PREFIX_DIGITS = 15;

interface Candidate {
  readonly operatorId: string;
  readonly ruleId: string;
  readonly via: 'rule' | 'failover';
}

type Availability =
  | { readonly usable: true; readonly connections: readonly OperatorConnection[] }
  | { readonly usable: false; readonly reason: SkipReason };

/**
 * The routing rules and the operators' state, indexed for answering from memory. Immutable: a new
 * rule set, operator or health change builds a new table (cheap: one pass over the rules).
 *
 * Resolution order (docs/domain-model.md):
 * 1. rules whose prefix matches the destination, longest matching prefix first (a rule with
 *    nested prefixes of its own counts with its longest match); shorter matches come after, as
 *    the last fallbacks;
 * 2. filters: tenant (null = every tenant), sender type (null = any), time window at `now`;
 * 3. within one prefix length, lower priority first; rules of one prefix length and priority form
 *    a tier, ordered by a weighted draw without replacement (so weights are honoured
 *    statistically), then its operators that are `up` before those `degraded`; then each tier
 *    rule's failover operators, in the rule's order;
 * 4. an operator is left out when it is down, has no health report yet (the gateway has not bound
 *    it), is suspended, deleted or unknown, or has no connection able to submit; an operator
 *    already ranked is not repeated.
 * The first usable operator answers; the others form the failover list.
 */
export class RoutingTable {
  private readonly rulesByPrefix = new Map<string, RoutingRule[]>();

  private constructor(
    readonly ruleSet: RuleSet,
    private readonly operators: ReadonlyMap<string, OperatorSnapshot>,
    private readonly health: ReadonlyMap<string, OperatorHealth>,
  ) {
    for (const rule of ruleSet.rules) {
      for (const prefix of rule.prefixes) {
        const list = this.rulesByPrefix.get(prefix);
        if (list === undefined) this.rulesByPrefix.set(prefix, [rule]);
        else list.push(rule);
      }
    }
  }

  static build(
    ruleSet: RuleSet,
    operators: ReadonlyMap<string, OperatorSnapshot>,
    health: ReadonlyMap<string, OperatorHealth>,
  ): RoutingTable {
    return new RoutingTable(ruleSet, operators, health);
  }

  resolve(query: RouteQuery, now: Date, random: RandomSource): RouteDecision {
    const ruleSetVersion = this.ruleSet.version;
    const candidates = this.rankCandidates(query, now, random);
    if (candidates.length === 0) return { outcome: 'no-route', ruleSetVersion };

    const targets: RouteTarget[] = [];
    const skipped: SkippedOperator[] = [];
    for (const candidate of candidates) {
      const availability = this.availabilityOf(candidate.operatorId);
      if (!availability.usable) {
        skipped.push({ operatorId: candidate.operatorId, reason: availability.reason });
        continue;
      }
      targets.push({
        operatorId: candidate.operatorId,
        connectionId: pickConnection(availability.connections, random),
        ruleId: candidate.ruleId,
        via: candidate.via,
      });
    }
    const [target, ...failover] = targets;
    if (target === undefined) return { outcome: 'unavailable', skipped, ruleSetVersion };
    return { outcome: 'route', target, failover, skipped, ruleSetVersion };
  }

  /** The operators to try, best first, before health filtering (but tiers already ordered by health). */
  private rankCandidates(query: RouteQuery, now: Date, random: RandomSource): Candidate[] {
    const digits = query.destination.startsWith('+') ? query.destination.slice(1) : query.destination;
    const seenRules = new Set<string>();
    const seenOperators = new Set<string>();
    const ranked: Candidate[] = [];
    for (let length = Math.min(digits.length, MAX_PREFIX_DIGITS); length >= 1; length -= 1) {
      const rules = this.rulesByPrefix.get(digits.slice(0, length));
      if (rules === undefined) continue;
      const matching = rules.filter((rule) => {
        if (seenRules.has(rule.id)) return false;
        seenRules.add(rule.id);
        return ruleApplies(rule, query, now);
      });
      if (matching.length === 0) continue;
      for (const tier of tiersByPriority(matching)) {
        const ordered = weightedOrder(tier, random);
        const primaries = ordered
          .map((rule) => ({ operatorId: rule.operatorId, ruleId: rule.id, via: 'rule' as const }))
          .sort((a, b) => this.healthRank(a.operatorId) - this.healthRank(b.operatorId));
        for (const candidate of primaries) pushOnce(ranked, seenOperators, candidate);
        for (const rule of ordered) {
          for (const operatorId of rule.failover) pushOnce(ranked, seenOperators, { operatorId, ruleId: rule.id, via: 'failover' });
        }
      }
    }
    return ranked;
  }

  private healthRank(operatorId: string): number {
    return rankOf(this.health.get(operatorId)?.state);
  }

  private availabilityOf(operatorId: string): Availability {
    const operator = this.operators.get(operatorId);
    if (operator === undefined) return { usable: false, reason: 'unknown-operator' };
    if (operator.status === 'deleted') return { usable: false, reason: 'deleted' };
    if (operator.status === 'suspended') return { usable: false, reason: 'suspended' };
    const health = this.health.get(operatorId);
    if (health === undefined) return { usable: false, reason: 'no-health-report' };
    if (health.state === 'down') return { usable: false, reason: 'down' };
    const submitting = operator.connections.filter((connection) => connection.bindMode !== 'receiver');
    if (submitting.length === 0) return { usable: false, reason: 'no-submit-connection' };
    if (health.connections.length === 0) return { usable: true, connections: submitting };
    const bound = submitting.filter((connection) =>
      health.connections.some((reported) => reported.connectionId === connection.id && reported.bindState === 'bound'),
    );
    // The health snapshot can lag a connection change; then any connection able to submit will do.
    return { usable: true, connections: bound.length > 0 ? bound : submitting };
  }
}

function rankOf(state: HealthState | undefined): number {
  switch (state) {
    case 'up':
      return 0;
    case 'degraded':
      return 1;
    case 'down':
    case undefined:
      return 2;
  }
}

function ruleApplies(rule: RoutingRule, query: RouteQuery, now: Date): boolean {
  if (rule.tenantId !== null && rule.tenantId !== query.tenantId) return false;
  if (rule.senderTypes !== null && !rule.senderTypes.includes(query.senderType)) return false;
  if (rule.timeWindow !== null && !isWithinWindow(rule.timeWindow, now)) return false;
  return true;
}

function tiersByPriority(rules: readonly RoutingRule[]): RoutingRule[][] {
  const byPriority = new Map<number, RoutingRule[]>();
  for (const rule of rules) {
    const tier = byPriority.get(rule.priority);
    if (tier === undefined) byPriority.set(rule.priority, [rule]);
    else tier.push(rule);
  }
  return [...byPriority.entries()].sort(([a], [b]) => a - b).map(([, tier]) => tier.sort((a, b) => a.id.localeCompare(b.id)));
}

/** Index of one item drawn with probability weight / Σweight (one draw). */
export function weightedPick(weights: readonly number[], random: RandomSource): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let point = random() * total;
  for (let i = 0; i < weights.length; i += 1) {
    point -= weights[i] ?? 0;
    if (point < 0) return i;
  }
  return weights.length - 1;
}

/**
 * Weighted draw without replacement: the first item is item i with probability w_i / Σw, the next
 * among the rest likewise. One item needs no draw.
 */
export function weightedOrder<T extends { readonly weight: number }>(items: readonly T[], random: RandomSource): T[] {
  const remaining = [...items];
  const ordered: T[] = [];
  while (remaining.length > 1) {
    const index = weightedPick(remaining.map((item) => item.weight), random);
    ordered.push(...remaining.splice(index, 1));
  }
  ordered.push(...remaining);
  return ordered;
}

function pickConnection(connections: readonly OperatorConnection[], random: RandomSource): string {
  const index = connections.length === 1 ? 0 : weightedPick(connections.map((connection) => connection.throughputLimit), random);
  const chosen = connections[index];
  if (chosen === undefined) throw new Error('pickConnection needs at least one connection');
  return chosen.id;
}

function pushOnce(ranked: Candidate[], seen: Set<string>, candidate: Candidate): void {
  if (seen.has(candidate.operatorId)) return;
  seen.add(candidate.operatorId);
  ranked.push(candidate);
}
