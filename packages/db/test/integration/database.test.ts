import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, uniqueName, withAdmin } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { createDatabase } from '@sms/db';

describe('createDatabase', () => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await createFreshDatabase('database');
  });
  afterAll(async () => {
    await fresh.drop();
  });

  it('answers a ping while the server is reachable', async () => {
    const database = createDatabase({ url: fresh.url });
    try {
      await expect(database.ping()).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
  });

  it('fails a ping when the server cannot be reached', async () => {
    const database = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 });
    try {
      await expect(database.ping()).rejects.toThrow();
    } finally {
      await database.close();
    }
  });

  it('names its connections and limits statement time as configured', async () => {
    const database = createDatabase({ url: fresh.url, applicationName: 'sms-db-test', statementTimeoutMs: 200 });
    try {
      const settings = await sql<{ app: string; timeout: string }>`SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout`.execute(
        database.db,
      );
      expect(settings.rows[0]).toEqual({ app: 'sms-db-test', timeout: '200ms' });
      await expect(sql`SELECT pg_sleep(1)`.execute(database.db)).rejects.toMatchObject({ code: '57014' });
    } finally {
      await database.close();
    }
  });

  it('reads bigint columns as numbers', async () => {
    const database = createDatabase({ url: fresh.url });
    try {
      const result = await sql<{ n: number }>`SELECT count(*) AS n FROM generate_series(1, 3)`.execute(database.db);
      expect(result.rows[0]?.n).toBe(3);
    } finally {
      await database.close();
    }
  });

  it('survives losing a connection in the middle of a transaction', async () => {
    const name = uniqueName('doomed');
    const lost: Error[] = [];
    const database = createDatabase({ url: fresh.url, applicationName: name, poolMax: 1, onConnectionError: (e) => lost.push(e) });
    try {
      const transaction = database.db.transaction().execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        await withAdmin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]));
        await new Promise((resolve) => setTimeout(resolve, 100));
        await sql`SELECT 2`.execute(trx);
      });

      await expect(transaction).rejects.toThrow();
      expect(lost.length).toBeGreaterThan(0);
      await expect(database.ping()).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
  });

  it('can be closed twice', async () => {
    const database = createDatabase({ url: fresh.url });
    await database.close();

    await expect(database.close()).resolves.toBeUndefined();
  });
});
