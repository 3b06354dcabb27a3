import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfigDatabase } from '../support/config-database.js';
import type { ConfigDatabaseFixture } from '../support/config-database.js';

const CONFIG_TABLES = ['config_nodes', 'idempotency_keys', 'inbox', 'key_definitions', 'levels', 'node_versions', 'outbox', 'role_assignments', 'role_definitions'];

describe('config-service migrations', () => {
  let fixture: ConfigDatabaseFixture;

  beforeAll(async () => {
    fixture = await createConfigDatabase('cfg_migrations', { migrate: false });
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  const tables = async (): Promise<string[]> =>
    (
      await fixture.admin<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'config' AND table_name <> 'schema_migrations' ORDER BY table_name`,
      )
    ).map((r) => r.table_name);

  it('applies every migration up, reverts all of them down, and applies them up again', async () => {
    const firstUp = await fixture.migrate('up');
    const tablesAfterUp = await tables();
    const down = await fixture.migrate('down', firstUp.length);
    const tablesAfterDown = await tables();
    const secondUp = await fixture.migrate('up');
    const seededRoles = await fixture.admin<{ count: number }>(`SELECT count(*)::int AS count FROM config.role_definitions`);

    expect(firstUp).toEqual(['1_outbox_inbox', '2_config_tables', '3_config_seed', '4_idempotency_keys']);
    expect(tablesAfterUp).toEqual(CONFIG_TABLES);
    expect(down).toEqual(['4_idempotency_keys', '3_config_seed', '2_config_tables', '1_outbox_inbox']);
    expect(tablesAfterDown).toEqual([]);
    expect(secondUp).toEqual(firstUp);
    expect(seededRoles[0]?.count).toBe(4);
  });

  it('forces row-level security on every table that holds configuration', async () => {
    await fixture.migrate('up');
    const rows = await fixture.admin<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'config' AND c.relkind = 'r' AND c.relname NOT IN ('outbox', 'inbox', 'schema_migrations') ORDER BY c.relname`,
    );

    expect(rows.map((r) => [r.relname, r.relrowsecurity, r.relforcerowsecurity])).toEqual(
      ['config_nodes', 'idempotency_keys', 'key_definitions', 'levels', 'node_versions', 'role_assignments', 'role_definitions'].map((t) => [t, true, true]),
    );
  });
});
