import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpsTestDatabase, ensureRoles, migrateOps, type OpsTestDatabase } from '../support/ops-database.js';

let t: OpsTestDatabase;

beforeAll(async () => {
  t = await createOpsTestDatabase('ops_migrations', { migrate: false });
});

afterAll(async () => {
  await t.cleanup();
});

async function tablesOfOps(): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'ops' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`.execute(t.database.db);
  return rows.rows.map((r) => r.name);
}

async function liveUniqueIndexes(): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    SELECT indexname AS name FROM pg_indexes
    WHERE schemaname = 'ops' AND tablename = 'operators' AND indexdef LIKE 'CREATE UNIQUE INDEX%' AND indexdef LIKE '%WHERE%' ORDER BY 1`.execute(t.database.db);
  return rows.rows.map((r) => r.name);
}

const ALL_TABLES = [
  'idempotency_keys',
  'inbox',
  'operator_connections',
  'operator_health',
  'operator_health_log',
  'operator_prefixes',
  'operators',
  'outbox',
  'routing_rule_sets',
  'schema_migrations',
];

describe('ops migrations', () => {
  it('apply, revert all the way and apply again with the same result', async () => {
    const firstUp = await migrateOps(t.database, t.roles, 'up');
    expect(firstUp.migrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    await ensureRoles(t.database, t.roles);
    expect(await tablesOfOps()).toEqual(ALL_TABLES);
    expect(await liveUniqueIndexes()).toEqual(['operators_live_code_key', 'operators_live_mcc_mnc_key']);

    const down = await migrateOps(t.database, t.roles, 'down', 5);
    expect(down.migrations.map((m) => m.version)).toEqual([5, 4, 3, 2, 1]);
    expect(await tablesOfOps()).toEqual(['schema_migrations']);

    const secondUp = await migrateOps(t.database, t.roles, 'up');
    expect(secondUp.migrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    expect(await tablesOfOps()).toEqual(ALL_TABLES);
    expect(await liveUniqueIndexes()).toEqual(['operators_live_code_key', 'operators_live_mcc_mnc_key']);
  });

  it('makes the health log a table partitioned by range on the report time', async () => {
    const rows = await sql<{ strategy: string; key: string }>`
      SELECT p.partstrat AS strategy, pg_get_partkeydef(c.oid) AS key
      FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'ops' AND c.relname = 'operator_health_log'`.execute(t.database.db);
    expect(rows.rows).toEqual([{ strategy: 'r', key: 'RANGE (at)' }]);
  });
});
