import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDatabase, dropAppRole, ensureAppRole, migrate, quoteIdentifier } from '@sms/db';
import type { Database } from '@sms/db';
import { systemClock } from '@sms/kernel';
import type { Clock, EventEnvelope } from '@sms/kernel';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { PostgresNumberingStore } from '../../src/adapters/postgres/postgres-numbering.store.js';
import type { NumberingRoles } from '../../src/adapters/postgres/numbering-scope.js';
import type { NumberingTables } from '../../src/adapters/postgres/numbering-tables.js';
import type { IdempotencyWindow } from '../../src/adapters/postgres/postgres-idempotency.store.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * One fresh database for a test file, with roles named for this run; each `schema()` call migrates a new
 * schema in it, so tests that need an empty store get one cheaply. `close()` drops everything.
 */
export interface PostgresFixture {
  readonly fresh: FreshDatabase;
  readonly database: Database<NumberingTables>;
  readonly roles: NumberingRoles;
  schema(options?: { readonly clock?: Clock; readonly idempotency?: IdempotencyWindow; readonly name?: string }): Promise<MigratedSchema>;
  close(): Promise<void>;
}

export interface MigratedSchema {
  readonly name: string;
  readonly store: PostgresNumberingStore;
  /** Every event in the outbox, in `seq` order (read as the owner). */
  outboxEvents(): Promise<readonly EventEnvelope[]>;
}

export async function createPostgresFixture(label: string): Promise<PostgresFixture> {
  const fresh = await createFreshDatabase(label);
  const database = createDatabase<NumberingTables>({ url: fresh.url, poolMax: 20 });
  const roles: NumberingRoles = { appRole: uniqueName('num_app'), systemRole: uniqueName('num_sys') };
  return {
    fresh,
    database,
    roles,
    async schema(options = {}) {
      const name = options.name ?? uniqueName('numbering');
      await migrateSchema(database, roles, name, 'up');
      return {
        name,
        store: new PostgresNumberingStore({
          db: database.db,
          schema: name,
          roles,
          clock: options.clock ?? systemClock,
          ...(options.idempotency === undefined ? {} : { idempotency: options.idempotency }),
        }),
        async outboxEvents() {
          const rows = await sql<{ payload: EventEnvelope }>`SELECT payload FROM ${sql.id(name, 'outbox')} ORDER BY seq`.execute(database.db);
          return rows.rows.map((r) => r.payload);
        },
      };
    },
    async close() {
      for (const role of [roles.appRole, roles.systemRole]) await dropAppRole(database.db, role).catch(() => undefined);
      await database.close();
      await fresh.drop();
    },
  };
}

/** Creates the roles (policies name them), migrates `schema` in `direction`, and grants the roles. */
export async function migrateSchema(
  database: Database<NumberingTables>,
  roles: NumberingRoles,
  schema: string,
  direction: 'up' | 'down',
  steps?: number,
): Promise<readonly { readonly version: number; readonly name: string }[]> {
  await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema, 'schema')}`).execute(database.db);
  for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [schema] });
  const result = await migrate({
    db: database.db,
    schema,
    dir: MIGRATIONS_DIR,
    direction,
    ...(steps === undefined ? {} : { steps }),
    roles: { app_role: roles.appRole, system_role: roles.systemRole },
  });
  for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [schema] });
  return result.migrations;
}
