import { sql } from 'kysely';
import { createDatabase, dropAppRole, ensureAppRole, migrate } from '@sms/db';
import type { Database } from '@sms/db';
import { createFreshDatabase } from './fresh-database.js';
import type { FreshDatabase } from './fresh-database.js';
import { uniqueName } from './run-id.js';

export interface MigratedDatabaseOptions {
  /** Names the database and the pool's application name. */
  readonly label: string;
  /** The service's schema (`migrations/schema.txt`). */
  readonly schema: string;
  readonly migrationsDir: string;
  /** Start of the run-unique role names (`<rolePrefix>_app…`, `<rolePrefix>_system…`): roles are cluster-wide. */
  readonly rolePrefix: string;
  /** Apply every migration at once. Default true. */
  readonly migrate?: boolean;
  readonly poolMax?: number;
}

/** A fresh database holding one service's schema, migrated under run-unique app and system roles. */
export interface MigratedDatabase<DB = unknown> {
  readonly fresh: FreshDatabase;
  readonly url: string;
  readonly database: Database<DB>;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  /** Runs the migrations up or down (all, or `steps`), granting the roles what new tables need; answers `<version>_<name>` of each. */
  migrate(direction: 'up' | 'down', steps?: number): Promise<string[]>;
  /** Closes the pool, drops the roles and the database. */
  cleanup(): Promise<void>;
}

export async function createMigratedDatabase<DB = unknown>(options: MigratedDatabaseOptions): Promise<MigratedDatabase<DB>> {
  const fresh = await createFreshDatabase(options.label);
  const database = createDatabase<DB>({ url: fresh.url, applicationName: options.label, ...(options.poolMax === undefined ? {} : { poolMax: options.poolMax }) });
  const roles = { appRole: uniqueName(`${options.rolePrefix}_app`), systemRole: uniqueName(`${options.rolePrefix}_system`) };
  const grant = async (): Promise<void> => {
    for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [options.schema] });
  };
  await sql.raw(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`).execute(database.db);
  await grant();
  const run = async (direction: 'up' | 'down', steps?: number): Promise<string[]> => {
    const result = await migrate({
      db: database.db,
      schema: options.schema,
      dir: options.migrationsDir,
      direction,
      ...(steps === undefined ? {} : { steps }),
      roles: { app_role: roles.appRole, system_role: roles.systemRole },
    });
    await grant();
    return result.migrations.map((m) => `${m.version}_${m.name}`);
  };
  if (options.migrate ?? true) await run('up');
  return {
    fresh,
    url: fresh.url,
    database,
    roles,
    migrate: run,
    async cleanup() {
      for (const role of [roles.appRole, roles.systemRole]) await dropAppRole(database.db, role).catch(() => undefined);
      await database.close();
      await fresh.drop();
    },
  };
}
