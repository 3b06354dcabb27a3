import { TEST_DATABASE_PREFIX, withAdmin } from './fresh-database.js';
import { testRunId } from './run-id.js';

/**
 * Vitest global setup: fixes the run id for every worker and, at the end, drops whatever this run
 * left behind in PostgreSQL (databases and roles named with the run id), even when a test crashed.
 */
export function setup(): () => Promise<void> {
  const runId = testRunId();
  return async () => {
    await withAdmin(async (client) => {
      const dbs = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`${TEST_DATABASE_PREFIX}%${runId}%`],
      );
      for (const { datname } of dbs.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      const roles = await client.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1`, [
        `%${runId}%`,
      ]);
      for (const { rolname } of roles.rows) await client.query(`DROP ROLE IF EXISTS "${rolname}"`);
    }).catch(() => undefined);
  };
}
