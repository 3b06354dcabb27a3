import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { createDatabase, migrate, migrationStatus } from '@sms/db';
import type { Database } from '@sms/db';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'migrations');

describe('migrate', () => {
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  let schema: string;

  beforeAll(async () => {
    fresh = await createFreshDatabase('migrate');
    database = createDatabase({ url: fresh.url, poolMax: 4 });
  });
  afterAll(async () => {
    await database.close();
    await fresh.drop();
  });
  beforeEach(() => {
    schema = uniqueName('mig');
  });

  const appliedVersions = async (): Promise<number[]> => {
    const rows = await sql<{ version: number }>`SELECT version FROM ${sql.id(schema, 'schema_migrations')} ORDER BY version`.execute(database.db);
    return rows.rows.map((r) => r.version);
  };
  const tableExists = async (table: string): Promise<boolean> => {
    const rows = await sql<{ found: boolean }>`SELECT to_regclass(${`"${schema}".${table}`}) IS NOT NULL AS found`.execute(database.db);
    return rows.rows[0]?.found ?? false;
  };

  it('applies every pending migration in order and records each one', async () => {
    const result = await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up' });

    expect(result.migrations.map((m) => m.version)).toEqual([1, 2, 3]);
    expect(await appliedVersions()).toEqual([1, 2, 3]);
    expect(await tableExists('gadgets')).toBe(true);
  });

  it('reverts exactly one migration when down is given no step count', async () => {
    await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up' });

    const result = await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'down' });

    expect(result.migrations.map((m) => m.version)).toEqual([3]);
    expect(await appliedVersions()).toEqual([1, 2]);
    expect(await tableExists('gadgets')).toBe(false);
  });

  it('reverts the given number of steps, newest first', async () => {
    await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up' });

    const result = await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'down', steps: 2 });

    expect(result.migrations.map((m) => m.version)).toEqual([3, 2]);
    expect(await appliedVersions()).toEqual([1]);
  });

  it('applies again what was reverted, up to the latest version', async () => {
    await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up' });
    await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'down', steps: 3 });

    const result = await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up' });

    expect(result.migrations.map((m) => m.version)).toEqual([1, 2, 3]);
    expect(await appliedVersions()).toEqual([1, 2, 3]);
  });

  it('applies only the given number of steps going up', async () => {
    const result = await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up', steps: 1 });

    expect(result.migrations.map((m) => m.version)).toEqual([1]);
    expect(await appliedVersions()).toEqual([1]);
  });

  it('does nothing when everything is already applied', async () => {
    await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up' });

    const result = await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up' });

    expect(result.migrations).toEqual([]);
  });

  it('applies each migration once when several callers migrate at the same time', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => migrate({ url: fresh.url, schema, dir: join(fixtures, 'basic'), direction: 'up' })),
    );

    const applied = results.flatMap((r) => r.migrations.map((m) => m.version)).sort();
    expect(applied).toEqual([1, 2, 3]);
    expect(await appliedVersions()).toEqual([1, 2, 3]);
  });

  it('rolls back a failing migration and keeps the ones before it', async () => {
    const run = migrate({ db: database.db, schema, dir: join(fixtures, 'failing'), direction: 'up' });

    await expect(run).rejects.toMatchObject({ code: 'MIGRATION_FAILED', message: expect.stringContaining('0002_broken') as unknown });
    expect(await appliedVersions()).toEqual([1]);
    expect(await tableExists('half_done')).toBe(false);
  });

  it('refuses a migration that uses {{app_role}} when no role is given, before running it', async () => {
    await expect(migrate({ db: database.db, schema, dir: join(fixtures, 'with-roles'), direction: 'up' })).rejects.toMatchObject({
      code: 'MISSING_PLACEHOLDER_VALUE',
    });
    expect(await appliedVersions()).toEqual([]);
  });

  describe('with a copy of the fixture folder', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sms-migrate-'));
      await cp(join(fixtures, 'basic'), dir, { recursive: true });
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses to run when an applied migration file was changed, and applies nothing', async () => {
      await migrate({ db: database.db, schema, dir, direction: 'up', steps: 2 });
      await writeFile(join(dir, '0001_create_widgets.up.sql'), 'CREATE TABLE {{schema}}.widgets (id bigint PRIMARY KEY);\n');

      const run = migrate({ db: database.db, schema, dir, direction: 'up' });

      await expect(run).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('0001_create_widgets') as unknown });
      expect(await appliedVersions()).toEqual([1, 2]);
    });

    it('refuses to run when an applied migration file was deleted', async () => {
      await migrate({ db: database.db, schema, dir, direction: 'up' });
      await rm(join(dir, '0003_create_gadgets.up.sql'));
      await rm(join(dir, '0003_create_gadgets.down.sql'));

      await expect(migrate({ db: database.db, schema, dir, direction: 'down' })).rejects.toMatchObject({ code: 'APPLIED_FILE_MISSING' });
    });

    it('refuses a new migration numbered below the latest applied one', async () => {
      await rm(join(dir, '0002_add_widget_colour.up.sql'));
      await rm(join(dir, '0002_add_widget_colour.down.sql'));
      await migrate({ db: database.db, schema, dir, direction: 'up' });
      await cp(join(fixtures, 'basic', '0002_add_widget_colour.up.sql'), join(dir, '0002_late_colour.up.sql'));
      await cp(join(fixtures, 'basic', '0002_add_widget_colour.down.sql'), join(dir, '0002_late_colour.down.sql'));

      await expect(migrate({ db: database.db, schema, dir, direction: 'up' })).rejects.toMatchObject({ code: 'OUT_OF_ORDER' });
    });
  });

  it('reports applied and pending migrations without changing anything', async () => {
    await migrate({ db: database.db, schema, dir: join(fixtures, 'basic'), direction: 'up', steps: 1 });

    const status = await migrationStatus({ db: database.db, schema, dir: join(fixtures, 'basic') });

    expect(status.applied.map((m) => m.version)).toEqual([1]);
    expect(status.pending.map((m) => m.version)).toEqual([2, 3]);
    expect(await appliedVersions()).toEqual([1]);
  });
});
