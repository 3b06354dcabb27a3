import type { OperatorHealth, OperatorSnapshot, RuleSet } from '../../domain/routing-model.js';
import type { RoutingState } from '../../domain/routing-state.js';

/**
 * Where the engine keeps the last rule set, operator snapshots and health it received, so a
 * restarted instance answers as before without waiting for new events. Each save is conditional:
 * it stores only what is newer than what is stored (rule set and operator by version, health by
 * `changedAt`), so replaying events is harmless. Every method throws on an infrastructure fault.
 */
export interface RoutingStateRepository {
  /** Everything stored; an empty state (rule set null) on a fresh database. */
  load(): Promise<RoutingState>;
  /** Stores the rule set when its version is higher than the stored one; returns whether it did. */
  saveRuleSet(ruleSet: RuleSet): Promise<boolean>;
  /** Stores the operator (a deletion is a snapshot with status `deleted`) when its version is higher. */
  saveOperator(operator: OperatorSnapshot): Promise<boolean>;
  /** Stores the operator's health when its `changedAt` is later than the stored one. */
  saveHealth(health: OperatorHealth): Promise<boolean>;
}
