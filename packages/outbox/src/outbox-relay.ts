import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { Bus, BusLogger } from '@sms/bus';
import { quoteIdentifier, scopeTransaction } from '@sms/db';
import { systemClock } from '@sms/kernel';
import type { Clock, EventEnvelope } from '@sms/kernel';
import { extractTraceContext, ROOT_CONTEXT, SpanKind, withSpan } from '@sms/tracing';
import { encodeEnvelope } from './envelope-codec.js';
import { outboxChannel } from './outbox-tables.sql.js';

export interface OutboxRelayOptions<DB> {
  readonly db: Kysely<DB>;
  readonly schema: string;
  readonly bus: Bus;
  /** The subject an event is published on, e.g. from its type. Events of one subject are handled in order. */
  readonly subjectFor: (envelope: EventEnvelope) => string;
  /** Rows per transaction. Default 100. */
  readonly batchSize?: number;
  /** Pause between polls when the outbox is drained, in ms. Default 1000. */
  readonly pollIntervalMs?: number;
  /** Stamps `published_at` and measures lag. Default: the system clock. */
  readonly clock?: Clock;
  readonly logger?: BusLogger;
  /** Runs the relay's transactions as this role (`SET LOCAL ROLE`), e.g. the service's system role. */
  readonly role?: string;
  /**
   * A pool to hold one connection that `LISTEN`s on the outbox's channel, so the relay wakes as
   * soon as a row is committed instead of at the next poll.
   */
  readonly listen?: pg.Pool;
  /**
   * How a batch is published. `serial` (default): one event at a time, each PubAck awaited, so a failure stops the
   * batch there. `per-aggregate`: concurrently across aggregates and in order within each (by `aggregateType` /
   * `aggregateId`); a failure stops only its aggregate's later rows. Serial publishing caps a schema at
   * 1 / publish latency events per second; per-aggregate keeps the order consumers rely on without that cap.
   */
  readonly publishing?: 'serial' | 'per-aggregate';
}

export interface OutboxLag {
  /** Unpublished rows. */
  readonly pending: number;
  /** Age of the oldest unpublished row (0 when none), by the relay's clock. */
  readonly oldestAgeMs: number;
}

interface OutboxRow {
  id: string;
  seq: number;
  payload: EventEnvelope;
  headers: Record<string, string>;
}

const LOCK_NAMESPACE = 'sms.outbox-relay';
const silent: BusLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Publishes the rows of `<schema>.outbox` to the bus, oldest `seq` first, with `msgId` = event id
 * and the headers stored at write time, then marks them published.
 *
 * - One relay per schema works at a time: each batch runs in a transaction that first takes
 *   `pg_try_advisory_xact_lock`; a replica that does not get it does nothing this tick.
 * - A failed publish ends the batch there (later rows, possibly of the same aggregate, wait), and
 *   the row's `attempts` and `last_error` record why; the next tick retries it.
 * - A crash between publish and mark republishes the same rows; the bus drops them as duplicates
 *   of their `msgId` within its deduplication window, and consumers' inboxes catch the rest.
 */
export class OutboxRelay<DB> {
  private readonly table: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly clock: Clock;
  private readonly logger: BusLogger;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private listener: pg.PoolClient | undefined;
  private notified = false;

  constructor(private readonly options: OutboxRelayOptions<DB>) {
    this.table = `${quoteIdentifier(options.schema, 'schema')}.outbox`;
    this.batchSize = options.batchSize ?? 100;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silent;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  }

  /**
   * Publishes one batch and returns how many rows it marked published: 0 when the outbox is
   * empty or another relay holds the schema's lock. A failed publish is recorded, not thrown;
   * database errors are thrown.
   */
  async runOnce(): Promise<number> {
    return this.options.db.transaction().execute(async (trx) => {
      if (this.options.role) await scopeTransaction(trx, { role: this.options.role });
      const lock = await sql<{ locked: boolean }>`
        SELECT pg_try_advisory_xact_lock(hashtext(${LOCK_NAMESPACE}), hashtext(${this.options.schema})) AS locked`.execute(trx);
      if (!lock.rows[0]?.locked) return 0;
      const rows = await sql<OutboxRow>`
        SELECT id, seq, payload, headers FROM ${sql.raw(this.table)}
        WHERE published_at IS NULL ORDER BY seq LIMIT ${this.batchSize}`.execute(trx);
      // Rows in publish order, in groups that go out one after the other; the groups run at once.
      const groups = this.options.publishing === 'per-aggregate' ? byAggregate(rows.rows) : [rows.rows];
      const published: string[] = [];
      const failed: Array<{ row: OutboxRow; error: unknown }> = [];
      await Promise.all(
        groups.map(async (ordered) => {
          for (const row of ordered) {
            try {
              await this.publish(row);
              published.push(row.id);
            } catch (error) {
              failed.push({ row, error });
              return;
            }
          }
        }),
      );
      for (const { row, error } of failed) await this.recordFailure(trx, row, error);
      if (published.length > 0) {
        await sql`
          UPDATE ${sql.raw(this.table)} SET published_at = ${this.clock.now()}, attempts = attempts + 1, last_error = NULL
          WHERE id = ANY(${published}::uuid[])`.execute(trx);
      }
      return published.length;
    });
  }

  /** Starts publishing in the background until {@link stop}. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.runLoop();
  }

  /** Stops after the batch in progress; resolves when the relay is idle. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    await this.closeListener();
  }

  /** Unpublished rows and the age of the oldest, for metrics and alerts. */
  async lag(): Promise<OutboxLag> {
    const result = await sql<{ pending: number; oldest: Date | null }>`
      SELECT count(*) AS pending, min(created_at) AS oldest FROM ${sql.raw(this.table)} WHERE published_at IS NULL`.execute(this.options.db);
    const row = result.rows[0];
    const oldest = row?.oldest;
    return { pending: Number(row?.pending ?? 0), oldestAgeMs: oldest ? Math.max(0, this.clock.now().getTime() - oldest.getTime()) : 0 };
  }

  private async publish(row: OutboxRow): Promise<void> {
    const envelope = row.payload;
    const subject = this.options.subjectFor(envelope);
    // Publish as a child of the span that wrote the event, so one trace runs from the request to the consumers.
    await withSpan(
      `outbox relay ${envelope.type}`,
      () => this.options.bus.publish(subject, encodeEnvelope(envelope), { msgId: envelope.id, headers: row.headers }),
      {
        kind: SpanKind.INTERNAL,
        parent: extractTraceContext(row.headers, ROOT_CONTEXT),
        attributes: { 'outbox.schema': this.options.schema, 'outbox.seq': row.seq, 'event.id': envelope.id, 'event.type': envelope.type },
      },
    );
  }

  private async recordFailure(trx: Transaction<DB>, row: OutboxRow, error: unknown): Promise<void> {
    const reason = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
    await sql`UPDATE ${sql.raw(this.table)} SET attempts = attempts + 1, last_error = ${reason} WHERE id = ${row.id}`.execute(trx);
    this.logger.warn({ schema: this.options.schema, eventId: row.id, seq: row.seq, error: reason }, 'outbox publish failed; will retry');
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      await this.ensureListener();
      let published = 0;
      try {
        this.notified = false;
        published = await this.runOnce();
      } catch (error) {
        this.logger.error({ schema: this.options.schema, error: error instanceof Error ? error.message : String(error) }, 'outbox relay batch failed');
      }
      // A full batch means more may be waiting: go again at once.
      if (published < this.batchSize && this.running && !this.notified) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }

  private async ensureListener(): Promise<void> {
    const pool = this.options.listen;
    if (!pool || this.listener) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      const connected = client;
      client.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
      client.on('error', (error) => {
        this.logger.warn({ schema: this.options.schema, error: error.message }, 'outbox listener lost; polling until it is back');
        if (this.listener === connected) {
          this.listener = undefined;
          connected.release(error);
        }
      });
      await client.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
      this.listener = client;
    } catch (error) {
      client?.release(error instanceof Error ? error : true);
      this.logger.warn({ schema: this.options.schema, error: error instanceof Error ? error.message : String(error) }, 'outbox listener unavailable; polling');
    }
  }

  private async closeListener(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    if (!client) return;
    try {
      await client.query(`UNLISTEN "${outboxChannel(this.options.schema)}"`);
      client.release();
    } catch (error) {
      client.release(error instanceof Error ? error : true);
    }
  }
}

/** The rows of each aggregate, in `seq` order, one group per aggregate. */
function byAggregate(rows: readonly OutboxRow[]): OutboxRow[][] {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const key = `${row.payload.aggregateType}/${row.payload.aggregateId}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}
