import { err, ok, type Clock, type Result } from '@sms/kernel';
import { operatorReferences, sameRules, validateRoutingRules, type RoutingRuleInput, type RoutingRuleSet } from '../domain/routing-rule.js';
import { versionConflict, type OpsErrorOf, type UnavailableOperatorReference } from '../domain/operator-management-errors.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import type { RoutingRuleRepository } from './ports/routing-rule.repository.port.js';
import { toRuleSetView, type RoutingRuleSetView } from './views.js';

export interface ReplaceRoutingRulesCommand {
  /** The version the caller read; 0 before the first rule set. */
  readonly expectedVersion: number;
  readonly rules: readonly RoutingRuleInput[];
}

export interface ReplaceRoutingRulesResult {
  readonly ruleSet: RoutingRuleSetView;
  /** False when the rules were already exactly these (no new version, no event). */
  readonly changed: boolean;
}

export type ReplaceRoutingRulesError = OpsErrorOf<
  'OPS.VALIDATION_FAILED' | 'OPS.ROUTING_RULES_OVERLAP' | 'OPS.ROUTING_OPERATOR_UNAVAILABLE' | 'OPS.VERSION_CONFLICT'
>;

/**
 * Replaces the whole routing rule set with a new version and writes
 * `ops.routing-rules.changed.v1` carrying every rule, so the routing engine swaps its copy.
 * Checks: each rule valid, no overlap at one priority, every target and failover operator
 * exists and is not deleted. Idempotent: sending the current rules again changes nothing, even
 * with a stale `expectedVersion` (the retry of a call whose answer was lost).
 */
export class ReplaceRoutingRules {
  constructor(
    private readonly deps: {
      readonly operators: OperatorRepository;
      readonly routingRules: RoutingRuleRepository;
      readonly events: OpsEventFactory;
      readonly clock: Clock;
    },
  ) {}

  async execute(command: ReplaceRoutingRulesCommand): Promise<Result<ReplaceRoutingRulesResult, ReplaceRoutingRulesError>> {
    const { operators, routingRules, events, clock } = this.deps;
    const validated = validateRoutingRules(command.rules);
    if (!validated.ok) return validated;
    const rules = validated.value;

    const unavailable: UnavailableOperatorReference[] = [];
    const seen = new Map<string, 'ok' | 'unknown' | 'deleted'>();
    for (const reference of operatorReferences(rules)) {
      let state = seen.get(reference.operatorId);
      if (state === undefined) {
        const operator = await operators.findById(reference.operatorId);
        state = !operator ? 'unknown' : operator.status === 'deleted' ? 'deleted' : 'ok';
        seen.set(reference.operatorId, state);
      }
      if (state !== 'ok') unavailable.push({ ...reference, reason: state });
    }
    if (unavailable.length > 0) {
      return err({
        code: 'OPS.ROUTING_OPERATOR_UNAVAILABLE',
        detail: unavailable.map((u) => `rule ${u.ruleId} ${u.role} ${u.operatorId} is ${u.reason}`).join('; '),
        references: unavailable,
      });
    }

    const current = await routingRules.current();
    if (sameRules(current.rules, rules)) return ok({ ruleSet: toRuleSetView(current), changed: false });
    if (current.version !== command.expectedVersion) return err(versionConflict(command.expectedVersion, current.version));
    const next: RoutingRuleSet = { version: current.version + 1, rules, updatedAt: clock.now() };
    const outcome = await routingRules.replace(next, current.version, [events.routingRulesChanged(next, current.version)]);
    if (outcome === 'version_conflict') {
      const latest = await routingRules.current();
      return err(versionConflict(command.expectedVersion, latest.version));
    }
    return ok({ ruleSet: toRuleSetView(next), changed: true });
  }
}
