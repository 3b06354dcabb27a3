import type { OperatorHealth } from '../../domain/operator-health.js';
import type { OpsEvent } from '../../domain/operator-events.js';
import type { CurrentHealthRepository } from '../ports/current-health.repository.port.js';
import type { HealthLogEntry, HealthLogRepository } from '../ports/health-log.repository.port.js';
import type { InMemoryOutbox } from './in-memory-outbox.js';

/** The health log in memory; a report already logged (same operator, connection and `at`) is stored once. */
export class InMemoryHealthLogRepository implements HealthLogRepository {
  private readonly rows = new Map<string, HealthLogEntry>();

  async append(entry: HealthLogEntry): Promise<void> {
    await Promise.resolve();
    const key = `${entry.operatorId}/${entry.connectionId}/${entry.at.toISOString()}`;
    if (!this.rows.has(key)) this.rows.set(key, structuredClone(entry));
  }

  get entries(): readonly HealthLogEntry[] {
    return [...this.rows.values()];
  }
}

/** Current health in memory, compare-and-swap on version, events committed with the row. */
export class InMemoryCurrentHealthRepository implements CurrentHealthRepository {
  private readonly rows = new Map<string, OperatorHealth>();

  constructor(private readonly outbox: InMemoryOutbox) {}

  async get(operatorId: string): Promise<OperatorHealth | null> {
    await Promise.resolve();
    const row = this.rows.get(operatorId);
    return row ? structuredClone(row) : null;
  }

  async list(): Promise<readonly OperatorHealth[]> {
    await Promise.resolve();
    return [...this.rows.values()].sort((a, b) => (a.operatorId < b.operatorId ? -1 : 1)).map((h) => structuredClone(h));
  }

  async save(health: OperatorHealth, expectedVersion: number | null, events: readonly OpsEvent[]): Promise<'saved' | 'version_conflict'> {
    await Promise.resolve();
    const stored = this.rows.get(health.operatorId);
    if ((stored?.version ?? null) !== expectedVersion) return 'version_conflict';
    this.rows.set(health.operatorId, structuredClone(health));
    this.outbox.append(events);
    return 'saved';
  }
}
