import type { ColumnType, Kysely, Transaction } from 'kysely';
import { withSystem } from '@sms/db';
import { appendToOutbox } from '@sms/outbox';
import type { OpsEvent } from '../../domain/operator-events.js';

/** The service's PostgreSQL schema (migrations/schema.txt). */
export const OPS_SCHEMA = 'ops';

type Timestamp = ColumnType<Date, Date, Date>;

/** Kysely types of the ops tables (migrations/0002–0004). No column holds a password. */
export type OpsTables = {
  operators: {
    id: string;
    code: string;
    name: string;
    kind: string;
    mcc: string | null;
    mnc: string | null;
    country: string;
    status: string;
    version: number;
    created_at: Timestamp;
    updated_at: Timestamp;
    deleted_at: ColumnType<Date | null, Date | null, Date | null>;
  };
  operator_prefixes: {
    operator_id: string;
    prefix: string;
  };
  operator_connections: {
    id: string;
    operator_id: string;
    position: number;
    host: string;
    port: number;
    system_id: string;
    system_type: string;
    bind_mode: string;
    tls: boolean;
    window_size: number;
    throughput_limit: number;
    auth_version: number | null;
    auth_changed_at: ColumnType<Date | null, Date | null, Date | null>;
    created_at: Timestamp;
    removed_at: ColumnType<Date | null, Date | null, Date | null>;
  };
  routing_rule_sets: {
    version: number;
    rules: ColumnType<unknown, string, string>;
    created_at: Timestamp;
  };
  operator_health: {
    operator_id: string;
    state: string;
    reason: string;
    connections: ColumnType<unknown, string, string>;
    state_changed_at: Timestamp;
    last_report_at: Timestamp;
    version: number;
  };
  operator_health_log: {
    operator_id: string;
    connection_id: string;
    at: Timestamp;
    bind_state: string;
    latency_ms: number;
    error_rate: number;
    throughput_per_second: number;
    received_at: Timestamp;
  };
};

export type OpsDb = Kysely<OpsTables>;
export type OpsTransaction = Transaction<OpsTables>;

/**
 * How the adapters reach PostgreSQL: the pool (connected as the schema owner) and the role their
 * transactions run as (`SET LOCAL ROLE`, so a request never runs as the owner). `role: null` runs
 * as the connecting user: only for tools such as the legacy import run by an operator.
 */
export interface OpsDatabase {
  readonly db: Kysely<unknown>;
  readonly role: string | null;
}

/** Types the service's pool for the ops tables (the runtime hands every service an untyped one). */
export const opsDb = (db: Kysely<unknown>): OpsDb => db.withTables<OpsTables>();

/** Runs `fn` in one transaction, as the configured role. */
export async function inTransaction<T>(database: OpsDatabase, fn: (trx: OpsTransaction) => Promise<T>): Promise<T> {
  const db = opsDb(database.db);
  if (database.role === null) return db.transaction().execute(fn);
  return withSystem(db, { role: database.role }, fn);
}

/** A unique-violation from PostgreSQL, with the name of the constraint or index it broke. */
export function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && typeof constraint === 'string' ? constraint : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuid columns: a string that is not a UUID names no row (and must not reach the query, which would fail). */
export const isUuidText = (value: string): boolean => UUID.test(value);

/** Appends the change's events to `ops.outbox`, in order, in the transaction that wrote the change (after the row, so it is locked). */
export async function appendEvents(trx: OpsTransaction, events: readonly OpsEvent[]): Promise<void> {
  for (const event of events) await appendToOutbox<OpsTables>(trx, OPS_SCHEMA, event);
}
