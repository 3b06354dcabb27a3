import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrchTestDatabase, migrateOrch } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';

let orch: OrchTestDatabase;

beforeAll(async () => {
  orch = await createOrchTestDatabase('orch_migrations', { migrate: false });
});
afterAll(async () => {
  await orch.cleanup();
});

async function tablesOf(): Promise<string[]> {
  const result = await sql<{ relname: string }>`
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'orch' AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations' ORDER BY 1`.execute(orch.database.db);
  return result.rows.map((row) => row.relname);
}

describe('orchestrator migrations', () => {
  it('apply every version, revert all of them, and apply again to the same tables', async () => {
    const first = await migrateOrch(orch.database, orch.roles, 'up');
    const tablesAfterFirstUp = await tablesOf();
    const down = await migrateOrch(orch.database, orch.roles, 'down', first.migrations.length);
    const tablesAfterDown = await tablesOf();
    const second = await migrateOrch(orch.database, orch.roles, 'up');

    expect(first.migrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    expect(down.migrations.map((m) => m.version)).toEqual([5, 4, 3, 2, 1]);
    expect(tablesAfterDown).toEqual([]);
    expect(second.migrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    expect(await tablesOf()).toEqual(tablesAfterFirstUp);
    expect(tablesAfterFirstUp).toEqual(expect.arrayContaining(['sms_messages', 'sms_messages_default', 'idempotency_keys', 'outbox', 'inbox', 'callback_deliveries']));
  });

  it('partitions sms_messages by range of created_at with a primary key that contains it', async () => {
    const result = await sql<{ strategy: string; key: string; pk: string }>`
      SELECT pt.partstrat AS strategy, pg_get_partkeydef(c.oid) AS key,
             pg_get_constraintdef(con.oid) AS pk
      FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_constraint con ON con.conrelid = c.oid AND con.contype = 'p'
      WHERE n.nspname = 'orch' AND c.relname = 'sms_messages'`.execute(orch.database.db);

    expect(result.rows).toEqual([{ strategy: 'r', key: 'RANGE (created_at)', pk: 'PRIMARY KEY (id, created_at)' }]);
  });

  it('creates the partitions of yesterday, today and the next seven days', async () => {
    const result = await sql<{ relname: string }>`
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'orch.sms_messages'::regclass AND c.relname <> 'sms_messages_default' ORDER BY 1`.execute(orch.database.db);
    const today = new Date();
    const expected = Array.from({ length: 9 }, (_, index) => {
      const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + index - 1));
      return `sms_messages_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
    });

    expect(result.rows.map((row) => row.relname)).toEqual(expected);
  });

  it('enables and forces row-level security on every tenant table and every partition', async () => {
    const result = await sql<{ relname: string; enabled: boolean; forced: boolean }>`
      SELECT c.relname, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'orch' AND c.relkind IN ('r', 'p')
        AND (c.relname LIKE 'sms\\_messages%' OR c.relname = 'idempotency_keys') AND c.relname <> 'sms_messages_archive_log'`.execute(orch.database.db);

    expect(result.rows.length).toBeGreaterThanOrEqual(12);
    expect(result.rows.filter((row) => !row.enabled || !row.forced)).toEqual([]);
  });

  it('gives every partition a tenant policy and a policy for the system role only', async () => {
    const result = await sql<{ tablename: string; policies: string[] }>`
      SELECT tablename, array_agg(policyname || ':' || array_to_string(roles, ',') ORDER BY policyname) AS policies
      FROM pg_policies WHERE schemaname = 'orch' AND tablename LIKE 'sms\\_messages\\_%' GROUP BY tablename`.execute(orch.database.db);

    expect(result.rows.length).toBe(10);
    for (const row of result.rows) {
      expect(row.policies).toEqual([`${row.tablename}_system_access:${orch.roles.systemRole}`, `${row.tablename}_tenant_isolation:public`]);
    }
  });

  it('leaves orch.outbox without the NOTIFY trigger (the relay polls)', async () => {
    const result = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'orch.outbox'::regclass AND NOT tgisinternal`.execute(orch.database.db);

    expect(result.rows[0]?.n).toBe(0);
  });

  it('derives created_at from the UUIDv7 id in SQL exactly as the adapter does', async () => {
    const result = await sql<{ time: Date }>`SELECT orch.uuid_v7_time('019da05e-8a7b-7000-8000-000000000000') AS time`.execute(orch.database.db);

    expect(result.rows[0]?.time.toISOString()).toBe(new Date(0x019da05e8a7b).toISOString());
  });
});
