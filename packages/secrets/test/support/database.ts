import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

export interface TestDatabase {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the local store accepts any service's database
  readonly db: Kysely<any>;
  /** Destroys the Kysely instance and waits until every connection is really closed. */
  close(): Promise<void>;
}

/**
 * A Kysely handle over its own pool. `close` waits for the sockets to close, because pg's
 * `pool.end()` resolves before they do, and dropping the database `WITH (FORCE)` would then
 * kill a closing connection and surface as an uncaught error.
 */
export function openTestDatabase(connectionString: string, extra: pg.PoolConfig = {}): TestDatabase {
  const pool = new pg.Pool({ connectionString, max: 4, ...extra });
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  return {
    db,
    close: () => {
      closed ??= (async () => {
        const open = pool.totalCount;
        let removed = 0;
        const allRemoved = new Promise<void>((resolve) => {
          if (open === 0) resolve();
          pool.on('remove', () => {
            removed += 1;
            if (removed >= open) resolve();
          });
        });
        await db.destroy();
        await allRemoved;
      })();
      return closed;
    },
  };
}
