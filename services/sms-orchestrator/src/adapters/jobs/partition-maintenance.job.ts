import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import { quoteIdentifier, withSystem } from '@sms/db';
import type { Clock } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { ObjectStore } from '@sms/object-store';
import type { ArchivedPart, OrchDatabase, SmsMessagesTable } from '../postgres/orch-tables.js';

export interface PartitionMaintenanceOptions {
  /** Connected as the owner of the schema (DETACH and DROP need it). */
  readonly db: Kysely<OrchDatabase>;
  readonly schema: string;
  /** Reads the partitions to archive (every partition has a policy for it; the owner may be subject to FORCE RLS). */
  readonly systemRole: string;
  readonly objectStore: ObjectStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Partitions kept existing ahead of today. */
  readonly aheadDays: number;
  /** Partitions whose whole day is older than this many days are detached, archived and dropped. */
  readonly retentionDays: number;
  /** Object key prefix of the archive, e.g. `orch/sms_messages`. */
  readonly archivePrefix: string;
  /** Rows per Parquet object (each is built in memory). Default 100,000. */
  readonly rowsPerPart?: number;
  /** Rows per read from the partition. Default 5,000. */
  readonly readBatch?: number;
  /** `lock_timeout` of DETACH: it needs a short exclusive lock on sms_messages and must not queue behind long queries. Default 5 s. */
  readonly lockTimeoutMs?: number;
}

export interface MaintenanceReport {
  /** Partitions created by this run. */
  readonly created: string[];
  readonly detached: string[];
  readonly archived: string[];
  readonly dropped: string[];
  /** False when another replica held the maintenance lock: this run did nothing. */
  readonly ran: boolean;
}

const PARTITION_NAME = /^sms_messages_p(\d{4})(\d{2})(\d{2})$/;
const DAY_MS = 86_400_000;
const LOCK_KEY = 'sms.orch.partition-maintenance';

/** The UTC day of a partition name (`sms_messages_p20260418` → 2026-04-18T00:00Z), or null for another table. */
export function partitionDay(name: string): Date | null {
  const match = PARTITION_NAME.exec(name);
  if (match === null) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

export const partitionNameOf = (day: Date): string => `sms_messages_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;

const startOfUtcDay = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/**
 * The partition maintenance job of `orch.sms_messages` (one partition per UTC day). Each run:
 * 1. creates the partitions from yesterday to `aheadDays` ahead (moving any rows of those days out
 *    of the default partition);
 * 2. detaches every partition whose day ended more than `retentionDays` ago, recording it in
 *    `sms_messages_archive_log` in the same transaction (`detached`);
 * 3. archives each detached partition as Parquet objects (`<prefix>/<yyyy>/<mm>/<partition>/part-NNNNN.parquet`,
 *    rows in id order) plus a `manifest.json`, verifies them (checksums and row counts read back
 *    from the Parquet footers against the table), then marks it `archived`;
 * 4. drops each archived partition whose manifest is still in the object store (`dropped`).
 * Every step is idempotent and resumable: progress is in the archive log (each written part is
 * recorded before the next is built), existing objects are not rewritten, and a run that stops
 * anywhere continues where it stopped. Replicas take turns through an advisory lock.
 */
export class PartitionMaintenance {
  private readonly rowsPerPart: number;
  private readonly readBatch: number;

  constructor(private readonly options: PartitionMaintenanceOptions) {
    this.rowsPerPart = options.rowsPerPart ?? 100_000;
    this.readBatch = options.readBatch ?? 5_000;
    quoteIdentifier(options.schema, 'schema');
  }

  async run(): Promise<MaintenanceReport> {
    return this.options.db.connection().execute(async (connection) => {
      const locked = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtext(${LOCK_KEY}), hashtext(${this.options.schema})) AS locked`.execute(connection);
      if (locked.rows[0]?.locked !== true) return { created: [], detached: [], archived: [], dropped: [], ran: false };
      try {
        const created = await this.createAhead(connection);
        const detached = await this.detachExpired(connection);
        const archived = await this.archiveDetached(connection);
        const dropped = await this.dropArchived(connection);
        const report = { created, detached, archived, dropped, ran: true };
        if (created.length + detached.length + archived.length + dropped.length > 0) this.options.logger.info(report, 'partition maintenance');
        return report;
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtext(${LOCK_KEY}), hashtext(${this.options.schema}))`.execute(connection);
      }
    });
  }

  /** Step 1: yesterday to `aheadDays` ahead exist. */
  async createAhead(db: Kysely<OrchDatabase> = this.options.db): Promise<string[]> {
    const existing = new Set(await this.attachedPartitions(db));
    const today = startOfUtcDay(this.options.clock.now());
    const created: string[] = [];
    for (let offset = -1; offset <= this.options.aheadDays; offset += 1) {
      const day = new Date(today.getTime() + offset * DAY_MS);
      const name = partitionNameOf(day);
      if (existing.has(name)) continue;
      await sql`SELECT ${sql.raw(this.qualified('ensure_sms_messages_partition'))}(${day.toISOString().slice(0, 10)}::date)`.execute(db);
      created.push(name);
    }
    return created;
  }

  /** Step 2: partitions past retention are detached and logged, in one transaction each. */
  async detachExpired(db: Kysely<OrchDatabase> = this.options.db): Promise<string[]> {
    const cutoff = startOfUtcDay(this.options.clock.now()).getTime() - this.options.retentionDays * DAY_MS;
    const detached: string[] = [];
    for (const name of await this.attachedPartitions(db)) {
      const day = partitionDay(name);
      if (day === null || day.getTime() + DAY_MS > cutoff) continue;
      await db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('lock_timeout', ${`${this.options.lockTimeoutMs ?? 5_000}ms`}, true)`.execute(trx);
        await sql`ALTER TABLE ${sql.raw(this.qualified('sms_messages'))} DETACH PARTITION ${sql.raw(this.qualified(name))}`.execute(trx);
        await trx
          .withSchema(this.options.schema)
          .insertInto('sms_messages_archive_log')
          .values({ partition_name: name, range_start: day, range_end: new Date(day.getTime() + DAY_MS), state: 'detached', detached_at: this.options.clock.now() })
          .onConflict((oc) => oc.column('partition_name').doNothing())
          .execute();
      });
      detached.push(name);
    }
    return detached;
  }

  /** Step 3: every detached partition written as Parquet parts and a manifest, verified, then marked archived. */
  async archiveDetached(db: Kysely<OrchDatabase> = this.options.db): Promise<string[]> {
    const pending = await db.withSchema(this.options.schema).selectFrom('sms_messages_archive_log').selectAll().where('state', '=', 'detached').orderBy('partition_name').execute();
    const archived: string[] = [];
    for (const entry of pending) {
      await this.archiveOne(db, entry.partition_name, entry.range_start, entry.range_end, entry.parts);
      archived.push(entry.partition_name);
    }
    return archived;
  }

  /** Step 4: archived partitions dropped, once their manifest is confirmed in the object store. */
  async dropArchived(db: Kysely<OrchDatabase> = this.options.db): Promise<string[]> {
    const archived = await db.withSchema(this.options.schema).selectFrom('sms_messages_archive_log').selectAll().where('state', '=', 'archived').orderBy('partition_name').execute();
    const dropped: string[] = [];
    for (const entry of archived) {
      if (entry.object_key === null || (await this.options.objectStore.head(entry.object_key)) === null) {
        throw new Error(`refusing to drop ${entry.partition_name}: its archive manifest ${entry.object_key ?? '(none)'} is not in the object store`);
      }
      await db.transaction().execute(async (trx) => {
        await sql`DROP TABLE IF EXISTS ${sql.raw(this.qualified(entry.partition_name))}`.execute(trx);
        await trx
          .withSchema(this.options.schema)
          .updateTable('sms_messages_archive_log')
          .set({ state: 'dropped', dropped_at: this.options.clock.now() })
          .where('partition_name', '=', entry.partition_name)
          .execute();
      });
      dropped.push(entry.partition_name);
    }
    return dropped;
  }

  private async archiveOne(db: Kysely<OrchDatabase>, name: string, rangeStart: Date, rangeEnd: Date, done: readonly ArchivedPart[]): Promise<void> {
    await this.assertSystemRoleSeesAll(db, name);
    const base = `${this.options.archivePrefix}/${name.slice(14, 18)}/${name.slice(18, 20)}/${name}`;
    const parts = [...done];
    let lastId = parts.at(-1)?.lastId ?? null;
    for (;;) {
      const rows = await this.readPart(db, name, lastId);
      if (rows.length === 0) break;
      const key = `${base}/part-${String(parts.length).padStart(5, '0')}.parquet`;
      const bytes = toParquet(rows);
      await this.options.objectStore.put(key, bytes, { contentType: 'application/vnd.apache.parquet' });
      const part: ArchivedPart = { key, rows: rows.length, bytes: bytes.byteLength, sha256: sha256(bytes), lastId: rows[rows.length - 1]!.id };
      parts.push(part);
      lastId = part.lastId;
      await db
        .withSchema(this.options.schema)
        .updateTable('sms_messages_archive_log')
        .set({ parts: JSON.stringify(parts) })
        .where('partition_name', '=', name)
        .execute();
      if (rows.length < this.rowsPerPart) break;
    }

    const tableRows = await withSystem(db, { role: this.options.systemRole }, async (trx) => {
      const result = await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM ${sql.raw(this.qualified(name))}`.execute(trx);
      return Number(result.rows[0]?.n ?? 0);
    });
    await this.verify(name, parts, tableRows);
    const manifest = new TextEncoder().encode(
      `${JSON.stringify({ partition: name, rangeStart: rangeStart.toISOString(), rangeEnd: rangeEnd.toISOString(), rows: tableRows, format: 'parquet', parts }, null, 2)}\n`,
    );
    const manifestKey = `${base}/manifest.json`;
    await this.options.objectStore.put(manifestKey, manifest, { contentType: 'application/json' });
    await db
      .withSchema(this.options.schema)
      .updateTable('sms_messages_archive_log')
      .set({
        state: 'archived',
        object_key: manifestKey,
        row_count: tableRows,
        byte_size: parts.reduce((sum, p) => sum + p.bytes, 0),
        sha256: sha256(manifest),
        archived_at: this.options.clock.now(),
      })
      .where('partition_name', '=', name)
      .execute();
  }

  // Every part is read back: its bytes match what was written, its footer holds the rows recorded,
  // and all parts together hold exactly the rows of the table. Only then may the table be dropped.
  private async verify(name: string, parts: readonly ArchivedPart[], tableRows: number): Promise<void> {
    let total = 0;
    for (const part of parts) {
      const stored = await this.options.objectStore.get(part.key);
      if (stored === null || sha256(stored) !== part.sha256) throw new Error(`archive of ${name}: ${part.key} is missing or differs from what was written`);
      const footerRows = Number(parquetMetadata(toArrayBuffer(stored)).num_rows);
      if (footerRows !== part.rows) throw new Error(`archive of ${name}: ${part.key} holds ${footerRows} rows, expected ${part.rows}`);
      total += footerRows;
    }
    if (total !== tableRows) throw new Error(`archive of ${name}: the parts hold ${total} rows, the table ${tableRows}`);
  }

  private readPart(db: Kysely<OrchDatabase>, name: string, after: string | null): Promise<Selectable<SmsMessagesTable>[]> {
    return withSystem(db, { role: this.options.systemRole }, async (trx) => {
      const rows: Selectable<SmsMessagesTable>[] = [];
      let cursor = after;
      while (rows.length < this.rowsPerPart) {
        const limit = Math.min(this.readBatch, this.rowsPerPart - rows.length);
        const batch = await sql<Selectable<SmsMessagesTable>>`
          SELECT * FROM ${sql.raw(this.qualified(name))}
          WHERE ${cursor === null ? sql`true` : sql`id > ${cursor}`}
          ORDER BY id LIMIT ${limit}`.execute(trx);
        rows.push(...batch.rows);
        if (batch.rows.length < limit) break;
        cursor = batch.rows[batch.rows.length - 1]!.id;
      }
      return rows;
    });
  }

  // FORCE ROW LEVEL SECURITY applies to a table owner that is not a superuser: reading a partition
  // without a policy for the system role would see no rows, archive nothing and then drop the data.
  private async assertSystemRoleSeesAll(db: Kysely<OrchDatabase>, name: string): Promise<void> {
    const policy = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_policies
      WHERE schemaname = ${this.options.schema} AND tablename = ${name} AND ${this.options.systemRole} = ANY(roles) AND qual = 'true'`.execute(db);
    if ((policy.rows[0]?.n ?? 0) === 0) throw new Error(`refusing to archive ${name}: it has no policy giving ${this.options.systemRole} every row`);
  }

  private async attachedPartitions(db: Kysely<OrchDatabase>): Promise<string[]> {
    const result = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = ${this.qualified('sms_messages')}::regclass ORDER BY 1`.execute(db);
    return result.rows.map((row) => row.name).filter((name) => partitionDay(name) !== null);
  }

  private qualified(name: string): string {
    return `${quoteIdentifier(this.options.schema, 'schema')}.${quoteIdentifier(name, 'table')}`;
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** The rows of a partition as one Parquet file (snappy), one column per table column. */
export function toParquet(rows: readonly Selectable<SmsMessagesTable>[]): Uint8Array {
  const column = <K extends keyof SmsMessagesTable>(name: K, type: ColumnSource['type'], map?: (row: Selectable<SmsMessagesTable>) => unknown): ColumnSource => ({
    name,
    type,
    nullable: true,
    data: rows.map((row) => (map ? map(row) : row[name])) as ColumnSource['data'],
  });
  const columns: ColumnSource[] = [
    column('id', 'STRING'),
    column('created_at', 'TIMESTAMP'),
    column('tenant_id', 'STRING'),
    column('to_msisdn', 'STRING'),
    column('from_value', 'STRING'),
    column('from_kind', 'STRING'),
    column('body', 'STRING'),
    column('encoding', 'STRING'),
    column('segment_count', 'INT32'),
    column('client_reference', 'STRING'),
    column('validity_period_seconds', 'INT32'),
    column('callback_url', 'STRING'),
    column('status', 'STRING'),
    column('status_history', 'JSON', (row) => row.status_history),
    column('error_code', 'STRING'),
    column('error_reason', 'STRING'),
    column('operator_id', 'STRING'),
    column('connection_id', 'STRING'),
    column('smsc_message_id', 'STRING'),
    column('pipeline_attempts', 'INT32'),
    column('next_attempt_at', 'TIMESTAMP'),
    column('accepted_at', 'TIMESTAMP'),
    column('updated_at', 'TIMESTAMP'),
    column('expires_at', 'TIMESTAMP'),
    column('version', 'INT32'),
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData: columns, createdBy: 'sms-orchestrator partition archive' }));
}
