import { sql, type Kysely } from 'kysely';
import { OPS_SCHEMA } from './ops-tables.js';

const PARENT = 'operator_health_log';
const PARTITION_NAME = /^operator_health_log_p(\d{4})(\d{2})(\d{2})$/;
const DAY_MS = 86_400_000;
const LOCK = 'ops.health-log-partitions';

/** How many days of partitions to keep and to create ahead. */
export interface PartitionPolicy {
  /** Partitions whose whole day is older than this many days are dropped. */
  readonly retentionDays: number;
  /** Partitions are created for today and this many days ahead. */
  readonly premakeDays: number;
}

export const DEFAULT_PARTITION_POLICY: PartitionPolicy = { retentionDays: 30, premakeDays: 7 };

/** Who creates and drops the partitions of `ops.operator_health_log`. */
export type PartitionManager = 'pg_partman' | 'service';

export interface MaintenanceResult {
  readonly managedBy: PartitionManager;
  /** Partitions created by this run (none when pg_partman manages the table). */
  readonly created: readonly string[];
  /** Partitions dropped by this run because their day is past the retention. */
  readonly dropped: readonly string[];
  /** Daily partitions that exist after the run, oldest first. */
  readonly partitions: readonly string[];
}

/** Midnight UTC of `at`'s day. */
const dayOf = (at: Date): Date => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

const nameOf = (day: Date): string => `${PARENT}_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;

function dayOfName(name: string): Date | null {
  const match = PARTITION_NAME.exec(name);
  if (!match) return null;
  const day = new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00.000Z`);
  return Number.isNaN(day.getTime()) ? null : day;
}

/**
 * The daily range partitions of `ops.operator_health_log` (migration 0004), maintained by this
 * service because pg_partman is not available on every server: creates today's partition and
 * `premakeDays` ahead, drops partitions older than `retentionDays`, and is idempotent (safe to
 * run often, and from several replicas at once: a transaction-scoped advisory lock serialises them).
 *
 * Where pg_partman is installed and `ops.operator_health_log` is registered in its `part_config`,
 * this does nothing and reports `pg_partman` (docs/data-model.md, "Health log partitions").
 *
 * Runs DDL, so `db` must connect as the owner of the table (the service's pool does; request
 * transactions run as the app role and cannot).
 */
export class HealthLogPartitions {
  constructor(
    private readonly db: Kysely<unknown>,
    readonly policy: PartitionPolicy = DEFAULT_PARTITION_POLICY,
  ) {
    if (!Number.isInteger(policy.retentionDays) || policy.retentionDays < 1) throw new RangeError('retentionDays must be a positive integer');
    if (!Number.isInteger(policy.premakeDays) || policy.premakeDays < 0) throw new RangeError('premakeDays must be 0 or more');
  }

  /** The instant before which reports are past the retention and not kept. */
  retentionCutoff(now: Date): Date {
    return new Date(dayOf(now).getTime() - this.policy.retentionDays * DAY_MS);
  }

  /** pg_partman when it is installed and has the table in its configuration; the service otherwise. */
  async managedBy(): Promise<PartitionManager> {
    const extension = await sql<{ schema: string }>`
      SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'pg_partman'`.execute(this.db);
    const partmanSchema = extension.rows[0]?.schema;
    if (partmanSchema === undefined) return 'service';
    const registered = await sql<{ found: boolean }>`
      SELECT EXISTS (SELECT 1 FROM ${sql.id(partmanSchema, 'part_config')} WHERE parent_table = ${`${OPS_SCHEMA}.${PARENT}`}) AS found`.execute(this.db);
    return registered.rows[0]?.found === true ? 'pg_partman' : 'service';
  }

  /** Creates and drops partitions for `now` (see the class comment). */
  async maintain(now: Date): Promise<MaintenanceResult> {
    const managedBy = await this.managedBy();
    if (managedBy === 'pg_partman') return { managedBy, created: [], dropped: [], partitions: await this.list() };
    const today = dayOf(now);
    const wanted = Array.from({ length: this.policy.premakeDays + 1 }, (_, i) => new Date(today.getTime() + i * DAY_MS));
    const cutoff = this.retentionCutoff(now);
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`.execute(trx);
      const existing = await listIn(trx);
      const created: string[] = [];
      for (const day of wanted) {
        if (existing.includes(nameOf(day))) continue;
        await createPartition(trx, day);
        created.push(nameOf(day));
      }
      const dropped: string[] = [];
      for (const name of existing) {
        const day = dayOfName(name);
        if (day === null || day.getTime() + DAY_MS > cutoff.getTime()) continue;
        await sql`DROP TABLE IF EXISTS ${sql.id(OPS_SCHEMA, name)}`.execute(trx);
        dropped.push(name);
      }
      return { managedBy, created, dropped, partitions: await listIn(trx) };
    });
  }

  /** Creates the partitions of the days of `instants` that are missing (a report outside the premade range). */
  async ensureDays(instants: readonly Date[]): Promise<string[]> {
    const days = [...new Set(instants.map((at) => dayOf(at).getTime()))].map((ms) => new Date(ms));
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`.execute(trx);
      const existing = await listIn(trx);
      const created: string[] = [];
      for (const day of days) {
        if (existing.includes(nameOf(day))) continue;
        await createPartition(trx, day);
        created.push(nameOf(day));
      }
      return created;
    });
  }

  /** Daily partitions that exist, oldest first. */
  async list(): Promise<string[]> {
    return listIn(this.db);
  }
}

async function createPartition(db: Kysely<unknown>, day: Date): Promise<void> {
  const from = day.toISOString();
  const to = new Date(day.getTime() + DAY_MS).toISOString();
  // DDL takes no bind parameters; the bounds are ISO strings this code produced.
  await sql`CREATE TABLE IF NOT EXISTS ${sql.id(OPS_SCHEMA, nameOf(day))} PARTITION OF ${sql.id(OPS_SCHEMA, PARENT)}
    FOR VALUES FROM (${sql.lit(from)}) TO (${sql.lit(to)})`.execute(db);
}

async function listIn(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    SELECT c.relname AS name
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_namespace n ON n.oid = p.relnamespace
    WHERE n.nspname = ${OPS_SCHEMA} AND p.relname = ${PARENT}`.execute(db);
  return rows.rows
    .map((r) => r.name)
    .filter((name) => PARTITION_NAME.test(name))
    .sort();
}

/** True for PostgreSQL's "no partition of relation … found for row" (SQLSTATE 23514). */
export function isMissingPartition(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '23514' && typeof message === 'string' && message.includes('no partition');
}
