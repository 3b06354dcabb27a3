import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrationChecksum, MigrationError } from '@sms/db';

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-migrations-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = (name: string, sql = 'SELECT 1;'): Promise<void> => writeFile(join(dir, name), sql);

  it('returns the migrations in version order with their up and down SQL', async () => {
    await write('0002_second.up.sql', 'up 2');
    await write('0002_second.down.sql', 'down 2');
    await write('0001_first.up.sql', 'up 1');
    await write('0001_first.down.sql', 'down 1');
    await write('schema.txt', 'orch');

    const migrations = await loadMigrations(dir);

    expect(migrations.map((m) => [m.version, m.name, m.upSql, m.downSql])).toEqual([
      [1, 'first', 'up 1', 'down 1'],
      [2, 'second', 'up 2', 'down 2'],
    ]);
  });

  it('refuses a migration without a down file', async () => {
    await write('0001_first.up.sql');

    await expect(loadMigrations(dir)).rejects.toMatchObject({ code: 'MISSING_DOWN', message: expect.stringContaining('0001_first') as unknown });
  });

  it('refuses a down file without its up file', async () => {
    await write('0001_first.down.sql');

    await expect(loadMigrations(dir)).rejects.toMatchObject({ code: 'MISSING_UP' });
  });

  it('refuses two migrations with one version number', async () => {
    await write('0001_first.up.sql');
    await write('0001_first.down.sql');
    await write('0001_other.up.sql');
    await write('0001_other.down.sql');

    await expect(loadMigrations(dir)).rejects.toMatchObject({ code: 'DUPLICATE_VERSION' });
  });

  it('refuses an SQL file that does not follow the naming pattern', async () => {
    await write('1_CreateTable.sql');

    await expect(loadMigrations(dir)).rejects.toBeInstanceOf(MigrationError);
  });

  it('refuses a folder that does not exist', async () => {
    await expect(loadMigrations(join(dir, 'missing'))).rejects.toMatchObject({ code: 'MIGRATIONS_DIR_UNREADABLE' });
  });
});

describe('migrationChecksum', () => {
  it('is the same for LF and CRLF line endings', () => {
    expect(migrationChecksum('CREATE TABLE t (id int);\r\nSELECT 1;\r\n')).toBe(migrationChecksum('CREATE TABLE t (id int);\nSELECT 1;\n'));
  });

  it('changes when the SQL changes', () => {
    expect(migrationChecksum('SELECT 1;')).not.toBe(migrationChecksum('SELECT 2;'));
  });
});
