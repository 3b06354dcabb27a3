import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createGatewayDatabase } from '../support/gateway-fixture.js';
import type { GatewayDatabase } from '../support/gateway-fixture.js';

let db: GatewayDatabase;

beforeAll(async () => {
  db = await createGatewayDatabase('smpp_migrations', { migrate: false });
});

afterAll(async () => {
  await db.cleanup();
});

const OWN_TABLES = ['inbox', 'outbox', 'submitted_parts'];

async function tables(): Promise<string[]> {
  const result = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'smpp' ORDER BY table_name`.execute(db.database.db);
  return result.rows.map((row) => row.table_name).filter((name) => OWN_TABLES.includes(name));
}

describe('smpp schema migrations', () => {
  it('apply, revert all the way and apply again', async () => {
    expect(await db.migrate('up')).toEqual(['1_outbox_inbox', '2_submitted_parts']);
    expect(await tables()).toEqual(OWN_TABLES);
    await db.migrate('down', 2);
    expect(await tables()).toEqual([]);
    await db.migrate('up');
    expect(await tables()).toEqual(OWN_TABLES);
  });
});
