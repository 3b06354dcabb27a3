import type { Insertable, Selectable } from 'kysely';
import type { AuditChainHead, AuditLog, AuditLogReader, AuditRow, JsonObject } from '../../index.js';
import type { AuditLogTable } from './numbering-tables.js';
import type { NumberingDb, Runner } from './numbering-scope.js';

const FLUSH_AT = 1000;

const rowOf = (row: AuditRow): Insertable<AuditLogTable> => ({
  seq: row.seq,
  id: row.id,
  occurred_at: row.occurredAt,
  actor_role: row.actor.role,
  actor_id: row.actor.id,
  actor_tenant_id: row.actor.tenantId,
  action: row.action,
  aggregate_type: row.aggregateType,
  aggregate_id: row.aggregateId,
  aggregate_version: row.aggregateVersion,
  tenant_id: row.tenantId,
  from_state: row.fromState,
  to_state: row.toState,
  idempotency_key: row.idempotencyKey,
  details: JSON.stringify(row.details),
  prev_hash: row.prevHash,
  hash: row.hash,
});

/** A stored audit row as the domain verifies it: every hashed field exactly as it was written. */
export const auditRowOf = (row: Selectable<AuditLogTable>): AuditRow => ({
  seq: row.seq,
  id: row.id,
  occurredAt: row.occurred_at,
  actor: { role: row.actor_role, id: row.actor_id, tenantId: row.actor_tenant_id },
  action: row.action,
  aggregateType: row.aggregate_type,
  aggregateId: row.aggregate_id,
  aggregateVersion: row.aggregate_version,
  tenantId: row.tenant_id,
  fromState: row.from_state,
  toState: row.to_state,
  idempotencyKey: row.idempotency_key,
  details: row.details as JsonObject,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/**
 * {@link AuditLog} of one transaction. `lockHead` takes the row lock of the one-row `audit_head` table
 * (`SELECT … FOR UPDATE`), which every appending transaction needs, so appends are serialised until
 * commit and the chain cannot fork. Rows are checked against the head as they are appended and written
 * in batches; {@link flush} writes the rest and moves the head (the unit of work calls it before commit).
 */
export class PostgresAuditLog implements AuditLog {
  private head: AuditChainHead | null = null;
  private locked = false;
  private pending: AuditRow[] = [];

  constructor(
    private readonly db: NumberingDb,
    private readonly schema: string,
  ) {}

  async lockHead(): Promise<AuditChainHead | null> {
    if (this.locked) return this.head;
    const row = await this.db
      .withSchema(this.schema)
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    this.locked = true;
    this.head = row.seq === 0 ? null : { seq: row.seq, hash: row.hash };
    return this.head;
  }

  async append(row: AuditRow): Promise<void> {
    if (!this.locked) throw new Error('audit.append without lockHead');
    const expectedSeq = (this.head?.seq ?? 0) + 1;
    if (row.seq !== expectedSeq || (this.head !== null && row.prevHash !== this.head.hash)) {
      throw new Error(`audit row ${row.seq} does not follow the chain head ${this.head?.seq ?? 0}`);
    }
    this.pending.push(row);
    this.head = { seq: row.seq, hash: row.hash };
    if (this.pending.length >= FLUSH_AT) await this.flush();
  }

  /** Writes the appended rows and the new head. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    for (let start = 0; start < rows.length; start += FLUSH_AT) {
      await this.db
        .withSchema(this.schema)
        .insertInto('audit_log')
        .values(rows.slice(start, start + FLUSH_AT).map(rowOf))
        .execute();
    }
    const last = rows[rows.length - 1];
    if (last !== undefined) {
      await this.db.withSchema(this.schema).updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
    }
  }
}

/** {@link AuditLogReader} on `audit_log`, by `seq`. */
export class PostgresAuditLogReader implements AuditLogReader {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
  ) {}

  readAfter(afterSeq: number, limit: number): Promise<readonly AuditRow[]> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(auditRowOf);
    });
  }
}
