import { chmod, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices, uniqueName, withAdmin } from '@sms/testing';
import { EmbeddedPostgresError, ensureDatabase, startEmbeddedPostgres } from '@sms/db';
import type { EmbeddedPostgres } from '@sms/db';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let parent: string;
  let dataDir: string;
  let port: number;
  let running: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'sms-embedded-pg-'));
    // mkdtemp makes the folder 0700; the server runs as the OS user postgres and must enter it.
    await chmod(parent, 0o755);
    dataDir = join(parent, 'data');
    port = await freePort();
  });
  afterAll(async () => {
    await running?.stop();
    await rm(parent, { recursive: true, force: true });
  });

  it('keeps the data of its folder across a stop and a start on the same folder', async () => {
    running = await startEmbeddedPostgres({ dataDir, port });
    const url = await ensureDatabase(running.url, 'platform');
    await query(url, `CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')`);
    await running.stop();

    running = await startEmbeddedPostgres({ dataDir, port });
    const rows = await query<{ value: string }>(url, 'SELECT value FROM kept');

    expect(rows).toEqual([{ value: 'still here' }]);
  });

  it('listens on the given port with a password-protected superuser', async () => {
    running ??= await startEmbeddedPostgres({ dataDir, port });

    const rows = await query<{ port: string; superuser: boolean }>(
      running.url,
      `SELECT current_setting('port') AS port, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
    );
    const withoutPassword = query(`postgres://postgres@127.0.0.1:${port}/postgres`, 'SELECT 1');

    expect(rows).toEqual([{ port: String(port), superuser: true }]);
    await expect(withoutPassword).rejects.toThrow();
  });

  it('refuses a data folder that holds other files but no cluster', async () => {
    const cluttered = join(parent, 'cluttered');
    await mkdir(cluttered);
    await writeFile(join(cluttered, 'notes.txt'), 'not a database');

    await expect(startEmbeddedPostgres({ dataDir: cluttered, port: await freePort() })).rejects.toBeInstanceOf(EmbeddedPostgresError);
  });
});

describe('ensureDatabase', () => {
  it('creates the database once even when asked twice', async () => {
    const name = `smst_${uniqueName('ensure')}`;
    try {
      const url = await ensureDatabase(testServices.postgresAdminUrl, name);
      await ensureDatabase(testServices.postgresAdminUrl, name);

      const rows = await query<{ db: string }>(url, 'SELECT current_database() AS db');
      expect(rows).toEqual([{ db: name }]);
    } finally {
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
  });
});
