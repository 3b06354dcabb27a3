import type { Operator } from '../../domain/operator.js';
import type { OpsEvent } from '../../domain/operator-events.js';
import type {
  OperatorClash,
  OperatorInsertOutcome,
  OperatorListQuery,
  OperatorRepository,
  OperatorUpdateOutcome,
} from '../ports/operator.repository.port.js';
import type { InMemoryOutbox } from './in-memory-outbox.js';

/**
 * The operator repository in memory, with the Postgres adapter's semantics: uniqueness of code
 * and MCC/MNC among live operators checked atomically with the write, compare-and-swap on
 * version, events committed with the row, copies in and out.
 */
export class InMemoryOperatorRepository implements OperatorRepository {
  private readonly rows = new Map<string, Operator>();
  private nextFault: Error | null = null;

  constructor(private readonly outbox: InMemoryOutbox) {}

  /** The next insert or update throws `error` without writing (a database fault). */
  failNextWrite(error: Error): void {
    this.nextFault = error;
  }

  async findById(id: string): Promise<Operator | null> {
    await Promise.resolve();
    const row = this.rows.get(id);
    return row ? structuredClone(row) : null;
  }

  async findClash(candidate: Pick<Operator, 'code' | 'mcc' | 'mnc'>, exceptOperatorId: string | null): Promise<OperatorClash | null> {
    await Promise.resolve();
    return this.clash(candidate, exceptOperatorId);
  }

  async list(query: OperatorListQuery): Promise<readonly Operator[]> {
    await Promise.resolve();
    return [...this.rows.values()]
      .filter((o) => query.statuses.includes(o.status) && (query.afterId === null || o.id > query.afterId))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, query.limit)
      .map((o) => structuredClone(o));
  }

  async insert(operator: Operator, events: readonly OpsEvent[]): Promise<OperatorInsertOutcome> {
    await Promise.resolve();
    this.throwPendingFault();
    if (this.rows.has(operator.id)) throw new Error(`operator ${operator.id} already exists (ids are never reused)`);
    const clash = operator.status === 'deleted' ? null : this.clash(operator, null);
    if (clash) return { kind: 'duplicate', ...clash };
    this.rows.set(operator.id, structuredClone(operator));
    this.outbox.append(events);
    return { kind: 'inserted' };
  }

  async update(operator: Operator, expectedVersion: number, events: readonly OpsEvent[]): Promise<OperatorUpdateOutcome> {
    await Promise.resolve();
    this.throwPendingFault();
    const stored = this.rows.get(operator.id);
    if (!stored) throw new Error(`operator ${operator.id} does not exist`);
    if (stored.version !== expectedVersion) return { kind: 'version_conflict', actualVersion: stored.version };
    const clash = operator.status === 'deleted' ? null : this.clash(operator, operator.id);
    if (clash) return { kind: 'duplicate', ...clash };
    this.rows.set(operator.id, structuredClone(operator));
    this.outbox.append(events);
    return { kind: 'updated' };
  }

  private clash(candidate: Pick<Operator, 'code' | 'mcc' | 'mnc'>, exceptOperatorId: string | null): OperatorClash | null {
    for (const row of this.rows.values()) {
      if (row.status === 'deleted' || row.id === exceptOperatorId) continue;
      if (row.code === candidate.code) return { field: 'code', existingOperatorId: row.id };
      if (candidate.mcc !== null && candidate.mnc !== null && row.mcc === candidate.mcc && row.mnc === candidate.mnc) {
        return { field: 'mccMnc', existingOperatorId: row.id };
      }
    }
    return null;
  }

  private throwPendingFault(): void {
    const fault = this.nextFault;
    this.nextFault = null;
    if (fault) throw fault;
  }
}
