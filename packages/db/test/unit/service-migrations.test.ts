import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverServiceMigrations } from '@sms/db';

describe('discoverServiceMigrations', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sms-root-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const service = async (name: string, schema?: string): Promise<void> => {
    await mkdir(join(root, 'services', name, 'migrations'), { recursive: true });
    if (schema !== undefined) await writeFile(join(root, 'services', name, 'migrations', 'schema.txt'), `${schema}\n`);
  };

  it('maps each service folder to the schema named in its schema.txt, with its role names', async () => {
    await service('sms-orchestrator', 'orch');
    await service('numbering-service', 'numbering');
    await mkdir(join(root, 'services', 'no-database'), { recursive: true });

    const found = await discoverServiceMigrations(root);

    expect(found.map(({ service: s, schema, appRole, systemRole }) => ({ s, schema, appRole, systemRole }))).toEqual([
      { s: 'numbering-service', schema: 'numbering', appRole: 'numbering_app', systemRole: 'numbering_system' },
      { s: 'sms-orchestrator', schema: 'orch', appRole: 'orch_app', systemRole: 'orch_system' },
    ]);
  });

  it('refuses a migrations folder with SQL files but no schema.txt', async () => {
    await service('sms-orchestrator');
    await writeFile(join(root, 'services', 'sms-orchestrator', 'migrations', '0001_init.up.sql'), 'SELECT 1;');

    await expect(discoverServiceMigrations(root)).rejects.toMatchObject({ code: 'BAD_SERVICE_LAYOUT' });
  });

  it('skips an empty migrations folder', async () => {
    await service('routing-engine');

    await expect(discoverServiceMigrations(root)).resolves.toEqual([]);
  });

  it('refuses two services claiming one schema', async () => {
    await service('a', 'orch');
    await service('b', 'orch');

    await expect(discoverServiceMigrations(root)).rejects.toThrow(/both claim schema orch/);
  });

  it('finds nothing when there is no services folder', async () => {
    await expect(discoverServiceMigrations(root)).resolves.toEqual([]);
  });
});
