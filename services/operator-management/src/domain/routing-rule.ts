import { err, ok, type Result } from '@sms/kernel';
import { issue, nestIssues, type FieldIssue } from './field-issue.js';
import { prefixListIssues, sortPrefixes } from './number-prefix.js';
import {
  normalizeTimeWindow,
  sameTimeWindow,
  timeWindowIssues,
  timeWindowsOverlap,
  type TimeWindow,
  type TimeWindowInput,
} from './time-window.js';
import { validationFailed, type OpsErrorOf, type RuleOverlap } from './operator-management-errors.js';

export type SenderType = 'msisdn' | 'short_code' | 'alphanumeric';
export const SENDER_TYPES: readonly SenderType[] = ['msisdn', 'short_code', 'alphanumeric'];

/**
 * One routing rule: traffic to a destination starting with one of `prefixes` (and, when set,
 * from `tenantId`, with a sender of one of `senderTypes`, inside `timeWindow`) goes to
 * `operatorId`; if it cannot take it, to `failover` in order. The routing engine uses the
 * matching rules with the lowest `priority` number; rules at one priority with identical
 * conditions form a weighted split (`weight`).
 */
export interface RoutingRule {
  readonly id: string;
  readonly prefixes: readonly string[];
  readonly tenantId: string | null;
  readonly senderTypes: readonly SenderType[] | null;
  readonly timeWindow: TimeWindow | null;
  readonly operatorId: string;
  readonly priority: number;
  readonly weight: number;
  readonly failover: readonly string[];
}

export interface RoutingRuleInput {
  /** Chosen by the caller (`roshan-default`), unique in the set; keeps replacements idempotent and logs readable. */
  readonly id: string;
  readonly prefixes: readonly string[];
  readonly tenantId?: string | null;
  /** Absent or null: any sender type. */
  readonly senderTypes?: readonly SenderType[] | null;
  /** Absent or null: at any time. */
  readonly timeWindow?: TimeWindowInput | null;
  readonly operatorId: string;
  readonly priority: number;
  readonly weight: number;
  readonly failover?: readonly string[];
}

/** The whole rule set; each replacement makes a new version. Version 0 is the empty set before any. */
export interface RoutingRuleSet {
  readonly version: number;
  readonly rules: readonly RoutingRule[];
  readonly updatedAt: Date | null;
}

export const EMPTY_RULE_SET: RoutingRuleSet = { version: 0, rules: [], updatedAt: null };

export const RULE_LIMITS = {
  maxRules: 5000,
  priority: { min: 0, max: 1_000_000 },
  weight: { min: 1, max: 1_000_000 },
  maxFailover: 10,
  tenantIdMaxLength: 128,
} as const;

const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const isIntegerIn = (n: number, range: { readonly min: number; readonly max: number }): boolean =>
  Number.isInteger(n) && n >= range.min && n <= range.max;

function ruleIssues(rule: RoutingRuleInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!RULE_ID.test(rule.id)) issues.push(issue('id', 'must be 1 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit'));
  if (rule.prefixes.length === 0) issues.push(issue('prefixes', 'needs at least one destination prefix'));
  issues.push(...prefixListIssues(rule.prefixes, 'prefixes'));
  if (rule.operatorId.trim().length === 0) issues.push(issue('operatorId', 'is required'));
  if (!isIntegerIn(rule.priority, RULE_LIMITS.priority)) {
    issues.push(issue('priority', `must be an integer from ${RULE_LIMITS.priority.min} to ${RULE_LIMITS.priority.max}`));
  }
  if (!isIntegerIn(rule.weight, RULE_LIMITS.weight)) {
    issues.push(issue('weight', `must be a positive integer up to ${RULE_LIMITS.weight.max}`));
  }
  const tenant = rule.tenantId;
  if (tenant !== undefined && tenant !== null && (tenant.trim().length === 0 || tenant.length > RULE_LIMITS.tenantIdMaxLength)) {
    issues.push(issue('tenantId', `must be 1 to ${RULE_LIMITS.tenantIdMaxLength} characters, or null for every tenant`));
  }
  const senderTypes = rule.senderTypes;
  if (senderTypes !== undefined && senderTypes !== null) {
    if (senderTypes.length === 0) issues.push(issue('senderTypes', 'must list at least one sender type, or be null for any'));
    senderTypes.forEach((t, i) => {
      if (!SENDER_TYPES.includes(t)) issues.push(issue(`senderTypes[${i}]`, `must be one of ${SENDER_TYPES.join(', ')}`));
      else if (senderTypes.indexOf(t) !== i) issues.push(issue(`senderTypes[${i}]`, `repeats ${t}`));
    });
  }
  if (rule.timeWindow) issues.push(...nestIssues('timeWindow', timeWindowIssues(rule.timeWindow)));
  const failover = rule.failover ?? [];
  if (failover.length > RULE_LIMITS.maxFailover) issues.push(issue('failover', `at most ${RULE_LIMITS.maxFailover} operators`));
  failover.forEach((id, i) => {
    if (id.trim().length === 0) issues.push(issue(`failover[${i}]`, 'must be an operator id'));
    else if (id === rule.operatorId) issues.push(issue(`failover[${i}]`, 'is the rule’s own operator'));
    else if (failover.indexOf(id) !== i) issues.push(issue(`failover[${i}]`, 'repeats an operator'));
  });
  return issues;
}

function normalizeRule(rule: RoutingRuleInput): RoutingRule {
  const senderTypes = rule.senderTypes ?? null;
  return {
    id: rule.id,
    prefixes: sortPrefixes(rule.prefixes),
    tenantId: rule.tenantId ?? null,
    senderTypes: senderTypes === null ? null : SENDER_TYPES.filter((t) => senderTypes.includes(t)),
    timeWindow: rule.timeWindow ? normalizeTimeWindow(rule.timeWindow) : null,
    operatorId: rule.operatorId,
    priority: rule.priority,
    weight: rule.weight,
    failover: [...(rule.failover ?? [])],
  };
}

const sameList = (a: readonly string[] | null, b: readonly string[] | null): boolean =>
  a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i]);

/** True when two rules match exactly the same traffic (their conditions are equal). */
export function sameConditions(a: RoutingRule, b: RoutingRule): boolean {
  const windows =
    a.timeWindow === null || b.timeWindow === null ? a.timeWindow === b.timeWindow : sameTimeWindow(a.timeWindow, b.timeWindow);
  return sameList(a.prefixes, b.prefixes) && a.tenantId === b.tenantId && sameList(a.senderTypes, b.senderTypes) && windows;
}

/** True when some message could match both rules as far as tenant, sender type and time window go. */
function otherConditionsOverlap(a: RoutingRule, b: RoutingRule): boolean {
  if (a.tenantId !== null && b.tenantId !== null && a.tenantId !== b.tenantId) return false;
  if (a.senderTypes !== null && b.senderTypes !== null && !a.senderTypes.some((t) => b.senderTypes?.includes(t))) return false;
  if (a.timeWindow !== null && b.timeWindow !== null && !timeWindowsOverlap(a.timeWindow, b.timeWindow)) return false;
  return true;
}

/**
 * Pairs of rules at one priority whose prefixes are equal or nested (one starts the other), as
 * `[i, j, prefixOfI, prefixOfJ]` with i < j. Sorting the prefixes puts every prefix right after
 * the prefixes that start it, so a stack of the current chain finds each nested pair once.
 */
function prefixCollisions(rules: readonly RoutingRule[]): Map<string, [number, number, string, string]> {
  const entries = rules.flatMap((rule, index) => rule.prefixes.map((prefix) => ({ prefix, index })));
  entries.sort((x, y) => (x.prefix < y.prefix ? -1 : x.prefix > y.prefix ? 1 : x.index - y.index));
  const pairs = new Map<string, [number, number, string, string]>();
  const chain: { prefix: string; index: number }[] = [];
  for (const entry of entries) {
    while (chain.length > 0 && !entry.prefix.startsWith(chain[chain.length - 1]?.prefix ?? '')) chain.pop();
    for (const open of chain) {
      if (open.index === entry.index) continue;
      const [i, j] = open.index < entry.index ? [open.index, entry.index] : [entry.index, open.index];
      const key = `${i}:${j}`;
      if (!pairs.has(key)) {
        pairs.set(key, open.index === i ? [i, j, open.prefix, entry.prefix] : [i, j, entry.prefix, open.prefix]);
      }
    }
    chain.push(entry);
  }
  return pairs;
}

/**
 * Pairs of rules that overlap at the same priority. Rules overlap when some message matches
 * both: equal or nested prefixes, the same or an unrestricted tenant, a shared or unrestricted
 * sender type, and time windows open at a common moment. Identical conditions are allowed when
 * the operators differ: that is a weighted split. Everything else is ambiguous and refused.
 */
export function findOverlaps(rules: readonly RoutingRule[]): RuleOverlap[] {
  const byPriority = new Map<number, RoutingRule[]>();
  for (const rule of rules) byPriority.set(rule.priority, [...(byPriority.get(rule.priority) ?? []), rule]);
  const overlaps: RuleOverlap[] = [];
  for (const [priority, group] of byPriority) {
    for (const [i, j, prefixA, prefixB] of prefixCollisions(group).values()) {
      const a = group[i];
      const b = group[j];
      if (!a || !b || !otherConditionsOverlap(a, b)) continue;
      if (sameConditions(a, b)) {
        if (a.operatorId !== b.operatorId) continue;
        overlaps.push({ firstRuleId: a.id, secondRuleId: b.id, priority, reason: 'same conditions and same operator (a duplicate rule)' });
        continue;
      }
      const prefixes = prefixA === prefixB ? `both match prefix ${prefixA}` : `prefixes ${prefixA} and ${prefixB} are nested`;
      overlaps.push({
        firstRuleId: a.id,
        secondRuleId: b.id,
        priority,
        reason: `${prefixes} and their other conditions overlap; give them different priorities or identical conditions`,
      });
    }
  }
  return overlaps;
}

/**
 * Validates a whole rule set: each rule's fields, unique ids, and no overlap at one priority.
 * Returns the rules normalised and ordered by priority, then id.
 */
export function validateRoutingRules(
  inputs: readonly RoutingRuleInput[],
): Result<RoutingRule[], OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.ROUTING_RULES_OVERLAP'>> {
  const issues: FieldIssue[] = [];
  if (inputs.length > RULE_LIMITS.maxRules) issues.push(issue('rules', `at most ${RULE_LIMITS.maxRules} rules`));
  const seen = new Map<string, number>();
  inputs.forEach((rule, index) => {
    issues.push(...nestIssues(`rules[${index}]`, ruleIssues(rule)));
    const first = seen.get(rule.id);
    if (first !== undefined) issues.push(issue(`rules[${index}].id`, `repeats the id of rules[${first}]`));
    else seen.set(rule.id, index);
  });
  if (issues.length > 0) return err(validationFailed(issues));
  const rules = inputs.map(normalizeRule).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
  const overlaps = findOverlaps(rules);
  if (overlaps.length > 0) {
    return err({
      code: 'OPS.ROUTING_RULES_OVERLAP',
      detail: overlaps.map((o) => `rules ${o.firstRuleId} and ${o.secondRuleId} at priority ${o.priority}: ${o.reason}`).join('; '),
      overlaps,
    });
  }
  return ok(rules);
}

/** Every operator a rule set sends traffic to, with the rule and role, in rule order. */
export function operatorReferences(
  rules: readonly RoutingRule[],
): { readonly ruleId: string; readonly operatorId: string; readonly role: 'target' | 'failover' }[] {
  return rules.flatMap((rule) => [
    { ruleId: rule.id, operatorId: rule.operatorId, role: 'target' as const },
    ...rule.failover.map((operatorId) => ({ ruleId: rule.id, operatorId, role: 'failover' as const })),
  ]);
}

/** A canonical text of a normalised rule; independent of property order, so stored rules compare equal. */
const fingerprint = (r: RoutingRule): string =>
  JSON.stringify([
    r.id,
    r.prefixes,
    r.tenantId,
    r.senderTypes,
    r.timeWindow && [r.timeWindow.days, r.timeWindow.start, r.timeWindow.end, r.timeWindow.timezone],
    r.operatorId,
    r.priority,
    r.weight,
    r.failover,
  ]);

/** True when two normalised rule lists are the same rules (same order, same content). */
export function sameRules(a: readonly RoutingRule[], b: readonly RoutingRule[]): boolean {
  return a.length === b.length && a.every((rule, i) => b[i] !== undefined && fingerprint(rule) === fingerprint(b[i]));
}
