import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthLogPartitions } from '../../src/adapters/postgres/health-log-partitions.js';
import { createOpsTestDatabase, type OpsTestDatabase } from '../support/ops-database.js';

let t: OpsTestDatabase;

beforeAll(async () => {
  t = await createOpsTestDatabase('ops_no_password');
  // Partitions exist too, so their columns are checked as well.
  await new HealthLogPartitions(t.database.db).maintain(new Date());
});

afterAll(async () => {
  await t.cleanup();
});

const SECRET_LIKE = /pass|secret|credential/i;

describe('the ops schema', () => {
  it('has no column whose name looks like a password, secret or credential', async () => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'ops'`.execute(t.database.db);
    expect(columns.rows.length).toBeGreaterThan(40);
    expect(columns.rows.filter((c) => SECRET_LIKE.test(c.column_name)).map((c) => `${c.table_name}.${c.column_name}`)).toEqual([]);
  });

  it('has no table whose name looks like a password, secret or credential store', async () => {
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'ops'`.execute(t.database.db);
    expect(tables.rows.map((r) => r.table_name)).toContain('operator_connections');
    expect(tables.rows.map((r) => r.table_name).filter((name) => SECRET_LIKE.test(name))).toEqual([]);
  });
});
