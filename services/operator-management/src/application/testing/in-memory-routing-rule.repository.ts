import { EMPTY_RULE_SET, type RoutingRuleSet } from '../../domain/routing-rule.js';
import type { OpsEvent } from '../../domain/operator-events.js';
import type { RoutingRuleRepository } from '../ports/routing-rule.repository.port.js';
import type { InMemoryOutbox } from './in-memory-outbox.js';

/** Versioned rule sets in memory; every version is kept, like the table. */
export class InMemoryRoutingRuleRepository implements RoutingRuleRepository {
  private readonly versions: RoutingRuleSet[] = [];

  constructor(private readonly outbox: InMemoryOutbox) {}

  async current(): Promise<RoutingRuleSet> {
    await Promise.resolve();
    return structuredClone(this.versions.at(-1) ?? EMPTY_RULE_SET);
  }

  async replace(next: RoutingRuleSet, expectedVersion: number, events: readonly OpsEvent[]): Promise<'replaced' | 'version_conflict'> {
    await Promise.resolve();
    const latest = this.versions.at(-1)?.version ?? 0;
    if (latest !== expectedVersion) return 'version_conflict';
    if (next.version !== expectedVersion + 1) throw new Error(`the next version must be ${expectedVersion + 1}`);
    this.versions.push(structuredClone(next));
    this.outbox.append(events);
    return 'replaced';
  }

  /** Every stored version, oldest first. */
  history(): readonly RoutingRuleSet[] {
    return this.versions;
  }
}
