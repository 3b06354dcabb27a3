import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDatabase, dropAppRole, ensureAppRole, migrate, type Database } from '@sms/db';
import { createFreshDatabase, uniqueName, type FreshDatabase } from '@sms/testing';
import { OPS_SCHEMA, type OpsDatabase } from '../../src/adapters/postgres/ops-tables.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** A fresh database with the ops schema migrated and run-unique roles (roles are cluster-global). */
export interface OpsTestDatabase {
  readonly fresh: FreshDatabase;
  readonly database: Database<unknown>;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  /** Request transactions: as the app role. */
  readonly requests: OpsDatabase;
  /** Jobs: as the system role. */
  readonly jobs: OpsDatabase;
  /** Drops the database and the roles. */
  cleanup(): Promise<void>;
}

export async function ensureRoles(database: Database<unknown>, roles: { appRole: string; systemRole: string }): Promise<void> {
  await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${OPS_SCHEMA}`).execute(database.db);
  for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [OPS_SCHEMA] });
}

export async function migrateOps(database: Database<unknown>, roles: { appRole: string; systemRole: string }, direction: 'up' | 'down' = 'up', steps?: number) {
  return migrate({
    db: database.db,
    schema: OPS_SCHEMA,
    dir: MIGRATIONS_DIR,
    direction,
    ...(steps === undefined ? {} : { steps }),
    roles: { app_role: roles.appRole, system_role: roles.systemRole },
  });
}

export async function createOpsTestDatabase(label = 'ops', options: { migrate?: boolean } = {}): Promise<OpsTestDatabase> {
  const fresh = await createFreshDatabase(label);
  const database = createDatabase<unknown>({ url: fresh.url, poolMax: 10, applicationName: label });
  const roles = { appRole: uniqueName('ops_app'), systemRole: uniqueName('ops_system') };
  await ensureRoles(database, roles);
  if (options.migrate ?? true) {
    await migrateOps(database, roles);
    await ensureRoles(database, roles);
  }
  return {
    fresh,
    database,
    roles,
    requests: { db: database.db, role: roles.appRole },
    jobs: { db: database.db, role: roles.systemRole },
    async cleanup() {
      await database.close();
      await fresh.drop();
      const admin = createDatabase<unknown>({ url: fresh.url.replace(/\/[^/]+$/, '/postgres'), poolMax: 1 });
      try {
        for (const role of [roles.appRole, roles.systemRole]) await dropAppRole(admin.db, role).catch(() => undefined);
      } finally {
        await admin.close();
      }
    },
  };
}
