import { fileURLToPath } from 'node:url';
import type { Database } from '@sms/db';
import { ManualClock, uuidv7Generator } from '@sms/kernel';
import type { Clock, IdGenerator } from '@sms/kernel';
import { createMigratedDatabase } from '@sms/testing';
import type { ConfigDatabase } from '../../src/adapters/postgres/config-database.js';
import { loadLevels } from '../../src/adapters/postgres/postgres-levels.js';
import { PostgresUnitOfWork } from '../../src/adapters/postgres/postgres-unit-of-work.js';
import { CedarAccessPolicy } from '../../src/adapters/authorization/cedar-access-policy.js';
import type { NodeChangeDeps } from '../../src/application/node-change.js';
import { InMemoryResolutionCache } from '../../src/application/testing/in-memory-resolution-cache.js';
import { ReloadAccessPolicyUseCase } from '../../src/application/reload-access-policy.use-case.js';
import type { ConfigLevels } from '../../src/domain/config-levels.js';

export const SCHEMA = 'config';
export const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url));

/** A fresh database with the config schema migrated, under roles unique to this run. */
export interface ConfigDatabaseFixture {
  readonly url: string;
  readonly database: Database<ConfigDatabase>;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  migrate(direction: 'up' | 'down', steps?: number): Promise<string[]>;
  /** Runs raw SQL as the migrating superuser (bypasses row-level security). */
  admin<T>(query: string, parameters?: readonly unknown[]): Promise<T[]>;
  /** Runs SQL as a role (and tenant) the service uses, in one transaction that is rolled back. */
  as<T>(scope: { readonly role: string; readonly tenantId?: string | null }, query: string, parameters?: readonly unknown[]): Promise<T[]>;
  cleanup(): Promise<void>;
}

export async function createConfigDatabase(label: string, options: { readonly migrate?: boolean } = {}): Promise<ConfigDatabaseFixture> {
  const migrated = await createMigratedDatabase<ConfigDatabase>({ label, schema: SCHEMA, migrationsDir, rolePrefix: 'cfg', ...options });
  const { database } = migrated;
  return {
    url: migrated.url,
    database,
    roles: migrated.roles,
    migrate: (direction, steps) => migrated.migrate(direction, steps),
    admin: async <T>(query: string, parameters: readonly unknown[] = []) => (await database.pool.query(query, [...parameters])).rows as T[],
    as: async <T>(scope: { readonly role: string; readonly tenantId?: string | null }, query: string, parameters: readonly unknown[] = []) => {
      const client = await database.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)`, [scope.role, scope.tenantId ?? '']);
        return (await client.query(query, [...parameters])).rows as T[];
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
    },
    cleanup: () => migrated.cleanup(),
  };
}

/** The use-case dependencies on the real database, with the real Cedar engine and an in-memory resolution cache. */
export async function postgresDeps(
  fixture: ConfigDatabaseFixture,
  options: { readonly clock?: Clock; readonly ids?: IdGenerator } = {},
): Promise<NodeChangeDeps & { readonly levels: ConfigLevels; readonly uow: PostgresUnitOfWork; readonly cache: InMemoryResolutionCache }> {
  const clock = options.clock ?? new ManualClock('2026-03-01T00:00:00.000Z');
  const uow = new PostgresUnitOfWork({ db: fixture.database.db, schema: SCHEMA, roles: fixture.roles, clock });
  const accessPolicy = new CedarAccessPolicy();
  const reloaded = await new ReloadAccessPolicyUseCase({ uow, accessPolicy }).execute();
  if (!reloaded.ok) throw new Error(reloaded.error.message);
  return {
    uow,
    accessPolicy,
    cache: new InMemoryResolutionCache(clock, 60_000),
    clock,
    ids: options.ids ?? uuidv7Generator,
    levels: await loadLevels(fixture.database.db, SCHEMA, fixture.roles.systemRole),
  };
}
