import pg from 'pg';
import { testServices, uniqueName } from './run-id.js';

export interface FreshDatabase {
  /** Connection URL of the new, empty database (as the superuser). */
  readonly url: string;
  readonly name: string;
  /** Drops the database, terminating any connection left open. */
  drop(): Promise<void>;
}

export const TEST_DATABASE_PREFIX = 'smst_';

/** Creates an empty database named for this run; drop it in `afterAll`. The global teardown drops leftovers. */
export async function createFreshDatabase(label = 'db'): Promise<FreshDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${uniqueName(label)}`.slice(0, 63);
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(testServices.postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServices.postgresAdminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
