import type { OperatorHealth, OperatorSnapshot, RuleSet } from '../../domain/routing-model.js';
import { isNewerHealth, isNewerOperator, isNewerRuleSet } from '../../domain/routing-state.js';
import type { RoutingState } from '../../domain/routing-state.js';
import type { RoutingStateRepository } from '../ports/routing-state.repository.port.js';

/** Keeps the state in maps, with the same "only newer" rules as the Postgres repository; copies in and out. */
export class InMemoryRoutingStateRepository implements RoutingStateRepository {
  private ruleSet: RuleSet | null = null;
  private readonly operators = new Map<string, OperatorSnapshot>();
  private readonly health = new Map<string, OperatorHealth>();
  /** When set, every call throws it (a database outage). */
  failWith: Error | null = null;

  load(): Promise<RoutingState> {
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({
      ruleSet: this.ruleSet === null ? null : structuredClone(this.ruleSet),
      operators: new Map([...this.operators].map(([id, operator]) => [id, structuredClone(operator)])),
      health: new Map([...this.health].map(([id, health]) => [id, structuredClone(health)])),
    });
  }

  saveRuleSet(ruleSet: RuleSet): Promise<boolean> {
    if (this.failWith) return Promise.reject(this.failWith);
    if (!isNewerRuleSet(this.ruleSet, ruleSet)) return Promise.resolve(false);
    this.ruleSet = structuredClone(ruleSet);
    return Promise.resolve(true);
  }

  saveOperator(operator: OperatorSnapshot): Promise<boolean> {
    if (this.failWith) return Promise.reject(this.failWith);
    if (!isNewerOperator(this.operators.get(operator.id), operator)) return Promise.resolve(false);
    this.operators.set(operator.id, structuredClone(operator));
    return Promise.resolve(true);
  }

  saveHealth(health: OperatorHealth): Promise<boolean> {
    if (this.failWith) return Promise.reject(this.failWith);
    if (!isNewerHealth(this.health.get(health.operatorId), health)) return Promise.resolve(false);
    this.health.set(health.operatorId, structuredClone(health));
    return Promise.resolve(true);
  }
}
