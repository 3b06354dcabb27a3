import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDatabase, ensureAppRole, migrate } from '@sms/db';
import type { Database } from '@sms/db';
import { createFreshDatabase, uniqueName, withAdmin } from '@sms/testing';
import type { OrchDatabase } from '../../src/adapters/postgres/orch-tables.js';

export const ORCH_SCHEMA = 'orch';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface OrchTestDatabase {
  readonly url: string;
  readonly database: Database<OrchDatabase>;
  readonly schema: string;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  /** Closes the pool, drops the database and the roles. */
  cleanup(): Promise<void>;
}

/**
 * A fresh database with the orchestrator's schema migrated, as `buildServiceInstance` does it:
 * roles (unique per call: roles are cluster-global) first, migrations, then the grants again.
 */
export async function createOrchTestDatabase(label = 'orch', options: { readonly migrate?: boolean; readonly poolMax?: number } = {}): Promise<OrchTestDatabase> {
  const fresh = await createFreshDatabase(label);
  const database = createDatabase<OrchDatabase>({ url: fresh.url, poolMax: options.poolMax ?? 20, applicationName: 'orch-test' });
  const roles = { appRole: uniqueName('orch_app'), systemRole: uniqueName('orch_sys') };
  await sql.raw(`CREATE SCHEMA ${ORCH_SCHEMA}`).execute(database.db);
  for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [ORCH_SCHEMA] });
  if (options.migrate ?? true) {
    await migrateOrch(database, roles, 'up');
  }
  return {
    url: fresh.url,
    database,
    schema: ORCH_SCHEMA,
    roles,
    async cleanup() {
      await database.close();
      await fresh.drop();
      await withAdmin(async (client) => {
        for (const role of [roles.appRole, roles.systemRole]) await client.query(`DROP ROLE IF EXISTS "${role}"`);
      });
    },
  };
}

export async function migrateOrch(
  database: Database<OrchDatabase>,
  roles: { readonly appRole: string; readonly systemRole: string },
  direction: 'up' | 'down',
  steps?: number,
) {
  const result = await migrate({
    db: database.db,
    schema: ORCH_SCHEMA,
    dir: MIGRATIONS_DIR,
    direction,
    ...(steps === undefined ? {} : { steps }),
    roles: { app_role: roles.appRole, system_role: roles.systemRole },
  });
  if (direction === 'up') {
    for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [ORCH_SCHEMA] });
  }
  return result;
}
