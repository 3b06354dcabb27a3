import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

export interface DatabaseOptions {
  /** `postgres://user:password@host:port/database` */
  readonly url: string;
  /** Largest number of pooled connections. Default 10. */
  readonly poolMax?: number;
  /** Shown in `pg_stat_activity.application_name`; name the service here. */
  readonly applicationName?: string;
  /** Server-side limit for each statement, in ms. Default: none. */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a connection from the pool, in ms. Default 10 s. */
  readonly connectionTimeoutMs?: number;
  /** Told when a connection is lost (server restart, failover, terminated session); for logging. */
  readonly onConnectionError?: (error: Error) => void;
}

export interface Database<DB> {
  readonly db: Kysely<DB>;
  /** The underlying pool, for what Kysely does not cover (LISTEN/NOTIFY, COPY). */
  readonly pool: pg.Pool;
  /** Throws when the server cannot answer `SELECT 1`; used by readiness checks. */
  ping(): Promise<void>;
  /** Ends every pooled connection. Idempotent. */
  close(): Promise<void>;
}

// `bigint` comes back as a string by default; counts and identity columns in this code base stay
// far below 2^53, so this pool reads them as numbers (set per pool, not on the global `pg.types`).
function typeOverrides(): pg.TypeOverrides {
  const overrides = new pg.TypeOverrides();
  overrides.setTypeParser(pg.types.builtins.INT8, 'text', (value: string) => Number(value));
  return overrides;
}

/** Builds a Kysely instance over a `pg` pool. The caller owns it and must `close()` it. */
export function createDatabase<DB>(options: DatabaseOptions): Database<DB> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    types: typeOverrides(),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
  });
  // A connection that loses its server emits 'error' (on the pool when idle, on the client when
  // checked out between queries); unheard, that would crash the process. The pool discards the
  // broken client, and whoever uses it next gets the error from their query instead.
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => {
    client.on('error', onConnectionError);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => {
      closing ??= db.destroy();
      return closing;
    },
  };
}
