import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { uniqueName } from '@sms/testing';
import { createPostgresFixture, migrateSchema } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';

const TABLES = [
  'audit_head',
  'audit_log',
  'idempotency_keys',
  'import_ledger',
  'inbox',
  'inventory_pools',
  'leases',
  'number_blocks',
  'numbers',
  'operator_contracts',
  'outbox',
  'range_ownership',
  'regulator_exports',
  'reservations',
  'tenant_pools',
];

describe('numbering-service migrations', () => {
  let fixture: PostgresFixture;
  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_migrations');
  });
  afterAll(async () => {
    await fixture.close();
  });

  const tablesOf = async (schema: string): Promise<string[]> => {
    const rows = await sql<{ name: string }>`
      SELECT tablename AS name FROM pg_tables WHERE schemaname = ${schema} AND tablename <> 'schema_migrations' ORDER BY tablename`.execute(
      fixture.database.db,
    );
    return rows.rows.map((r) => r.name);
  };

  it('applies every migration, reverts all of them, and applies them again', async () => {
    const schema = uniqueName('numbering_mig');

    const up = await migrateSchema(fixture.database, fixture.roles, schema, 'up');
    const afterUp = await tablesOf(schema);
    const down = await migrateSchema(fixture.database, fixture.roles, schema, 'down', up.length);
    const afterDown = await tablesOf(schema);
    const again = await migrateSchema(fixture.database, fixture.roles, schema, 'up');
    const afterAgain = await tablesOf(schema);

    expect([up.map((m) => m.version), afterUp, down.length, afterDown, again.length, afterAgain]).toEqual([
      [1, 2, 3, 4, 5, 6],
      TABLES,
      6,
      [],
      6,
      TABLES,
    ]);
  });

  it('reverts one migration at a time, newest first', async () => {
    const schema = uniqueName('numbering_mig');
    await migrateSchema(fixture.database, fixture.roles, schema, 'up');

    const reverted: number[] = [];
    for (let i = 0; i < 6; i += 1) reverted.push(...(await migrateSchema(fixture.database, fixture.roles, schema, 'down', 1)).map((m) => m.version));

    expect([reverted, await tablesOf(schema)]).toEqual([[6, 5, 4, 3, 2, 1], []]);
  });
});
