import type { OperatorHealth, OperatorSnapshot, RuleSet } from '../domain/routing-model.js';
import { EMPTY_ROUTING_STATE, withHealth, withOperator, withRuleSet } from '../domain/routing-state.js';
import type { RoutingState } from '../domain/routing-state.js';
import { RoutingTable } from '../domain/routing-table.js';
import type { RoutingStateRepository } from './ports/routing-state.repository.port.js';

/** Where resolution reads the current table from. */
export interface RoutingTableSource {
  /** The table built from the latest state; null until a rule set has been loaded or received. */
  current(): RoutingTable | null;
}

/** What one applied change did. */
export type ApplyOutcome = 'applied' | 'ignored';

/**
 * The in-memory routing table and the stored state behind it. Each change is applied to memory
 * (the table is rebuilt) and then saved; both only when newer, so an old or repeated event is a
 * no-op. Memory goes first so that routing follows health changes even while the database is down:
 * the save then throws, the bus redelivers, and the retry stores it. `reload` merges the stored
 * state into memory (at start, and periodically so that replicas that did not receive an event
 * catch up); it never replaces newer memory with older rows.
 */
export class RoutingProjection implements RoutingTableSource {
  private state: RoutingState = EMPTY_ROUTING_STATE;
  private table: RoutingTable | null = null;

  constructor(private readonly repository: RoutingStateRepository) {}

  current(): RoutingTable | null {
    return this.table;
  }

  isLoaded(): boolean {
    return this.table !== null;
  }

  /** The rule set version held in memory, or null before the first one. */
  ruleSetVersion(): number | null {
    return this.state.ruleSet?.version ?? null;
  }

  /** Replaces memory with the stored state, merged with anything newer already in memory. */
  async reload(): Promise<void> {
    const stored = await this.repository.load();
    let next = this.state;
    if (stored.ruleSet !== null) next = withRuleSet(next, stored.ruleSet);
    for (const operator of stored.operators.values()) next = withOperator(next, operator);
    for (const health of stored.health.values()) next = withHealth(next, health);
    this.replace(next);
  }

  async applyRuleSet(ruleSet: RuleSet): Promise<ApplyOutcome> {
    const changed = this.applyInMemory(withRuleSet(this.state, ruleSet));
    const saved = await this.repository.saveRuleSet(ruleSet);
    return saved || changed ? 'applied' : 'ignored';
  }

  async applyOperator(operator: OperatorSnapshot): Promise<ApplyOutcome> {
    const changed = this.applyInMemory(withOperator(this.state, operator));
    const saved = await this.repository.saveOperator(operator);
    return saved || changed ? 'applied' : 'ignored';
  }

  async applyHealth(health: OperatorHealth): Promise<ApplyOutcome> {
    const changed = this.applyInMemory(withHealth(this.state, health));
    const saved = await this.repository.saveHealth(health);
    return saved || changed ? 'applied' : 'ignored';
  }

  /** Returns whether memory changed. */
  private applyInMemory(next: RoutingState): boolean {
    const changed = next !== this.state;
    this.replace(next);
    return changed;
  }

  private replace(next: RoutingState): void {
    if (next === this.state && (this.table !== null || next.ruleSet === null)) return;
    this.state = next;
    this.table = next.ruleSet === null ? null : RoutingTable.build(next.ruleSet, next.operators, next.health);
  }
}
