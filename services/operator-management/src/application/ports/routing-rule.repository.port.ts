import type { RoutingRuleSet } from '../../domain/routing-rule.js';
import type { OpsEvent } from '../../domain/operator-events.js';

/**
 * The versioned routing rule set (`ops.routing_rule_sets`: one row per version, rules as JSON,
 * so earlier versions stay for audit). Replacing is compare-and-swap on the version and writes
 * the routing-rules-changed event to the outbox in the same transaction. Throws on
 * infrastructure faults.
 */
export interface RoutingRuleRepository {
  /** The latest version; `EMPTY_RULE_SET` (version 0) before the first replacement. */
  current(): Promise<RoutingRuleSet>;

  /** Stores `next` (whose version is `expectedVersion + 1`) if the latest version is still `expectedVersion`. */
  replace(next: RoutingRuleSet, expectedVersion: number, events: readonly OpsEvent[]): Promise<'replaced' | 'version_conflict'>;
}
