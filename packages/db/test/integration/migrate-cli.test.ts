import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { createDatabase, dropAppRole, serviceRoles } from '@sms/db';
import type { Database } from '@sms/db';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, '../../../..');
const cli = join(repositoryRoot, 'packages/db/src/cli/migrate.cli.ts');
const tsx = join(repositoryRoot, 'node_modules/.bin/tsx');

describe('the migrate command', () => {
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  let root: string;
  const schema = uniqueName('cli');
  const roles = serviceRoles(schema);

  const run = async (...args: string[]): Promise<string> => {
    const { stdout } = await promisify(execFile)(tsx, [cli, ...args, '--root', root], {
      env: { ...process.env, DATABASE_URL: fresh.url },
    });
    return stdout;
  };

  beforeAll(async () => {
    fresh = await createFreshDatabase('cli');
    database = createDatabase({ url: fresh.url });
    root = await mkdtemp(join(tmpdir(), 'sms-cli-'));
    const dir = join(root, 'services', 'demo-service', 'migrations');
    await mkdir(dir, { recursive: true });
    await cp(join(here, '..', 'fixtures', 'migrations', 'with-roles'), dir, { recursive: true });
    await writeFile(join(dir, 'schema.txt'), `${schema}\n`);
  });
  afterAll(async () => {
    await dropAppRole(database.db, roles.appRole);
    await dropAppRole(database.db, roles.systemRole);
    await database.close();
    await fresh.drop();
    await rm(root, { recursive: true, force: true });
  });

  it("applies a service's migrations with its roles, then reports and reverts them", async () => {
    const up = await run('up');
    const privileges = await sql<{ can_select: boolean; can_insert: boolean }>`
      SELECT has_table_privilege(${roles.appRole}, ${`"${schema}".notes`}, 'SELECT') AS can_select,
             has_table_privilege(${roles.appRole}, ${`"${schema}".notes`}, 'INSERT') AS can_insert`.execute(database.db);
    const status = await run('status', '--service', 'demo-service');
    const down = await run('down');

    expect(up).toContain(`demo-service (${schema}): applied 0001_create_notes`);
    expect(privileges.rows[0]).toEqual({ can_select: true, can_insert: true });
    expect(status).toContain('1 applied, 0 pending');
    expect(down).toContain('reverted 0001_create_notes');
  });

  it('exits with status 2 and the usage for an unknown command', async () => {
    await expect(run('sideways')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run migrate') as unknown });
  });
});
