import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { sql } from 'kysely';
import pg from 'pg';
import { withTenant } from '@sms/db';
import { ManualClock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { createLocalObjectStore } from '@sms/object-store';
import type { ObjectStore } from '@sms/object-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionMaintenance, partitionNameOf } from '../../src/adapters/jobs/partition-maintenance.job.js';
import { PostgresMessageRepository } from '../../src/adapters/postgres/postgres-message.repository.js';
import type { SmsMessage } from '../../src/domain/sms-message.js';
import { createOrchTestDatabase } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';
import { newMessage } from '../support/stored-messages.js';

const DAY = 86_400_000;
let orch: OrchTestDatabase;
let objectsDir: string;
let objects: ObjectStore;
const clock = new ManualClock();
const logger = createLogger({ service: 'test', level: 'silent' });
const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
const daysAgo = (n: number) => new Date(today.getTime() - n * DAY);

beforeAll(async () => {
  orch = await createOrchTestDatabase('orch_partitions');
  objectsDir = await mkdtemp(join(tmpdir(), 'orch-archive-'));
  objects = createLocalObjectStore({ rootDir: objectsDir });
  clock.set(new Date(today.getTime() + 10 * 3_600_000));
});
afterAll(async () => {
  await orch.cleanup();
  await rm(objectsDir, { recursive: true, force: true });
});

function maintenance(options: { store?: ObjectStore; rowsPerPart?: number } = {}) {
  return new PartitionMaintenance({
    db: orch.database.db,
    schema: orch.schema,
    systemRole: orch.roles.systemRole,
    objectStore: options.store ?? objects,
    clock,
    logger,
    aheadDays: 7,
    retentionDays: 90,
    archivePrefix: 'orch/sms_messages',
    rowsPerPart: options.rowsPerPart ?? 3,
    readBatch: 2,
  });
}

async function storeMessagesOn(day: Date, tenants: readonly string[]): Promise<SmsMessage[]> {
  await sql`SELECT orch.ensure_sms_messages_partition(${day.toISOString().slice(0, 10)}::date)`.execute(orch.database.db);
  const stored: SmsMessage[] = [];
  for (const [index, tenantId] of tenants.entries()) {
    const message = newMessage(tenantId, new Date(day.getTime() + (index + 1) * 60_000), { body: `archived body ${index} ✓` });
    await withTenant(orch.database.db, { tenantId, role: orch.roles.appRole }, (trx) => new PostgresMessageRepository(trx, 'orch').insert([message]));
    stored.push(message);
  }
  return stored;
}

async function tableExists(name: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`SELECT to_regclass(${`orch.${name}`})::text AS found`.execute(orch.database.db);
  return result.rows[0]?.found !== null;
}

async function logOf(name: string) {
  return orch.database.db.withSchema('orch').selectFrom('sms_messages_archive_log').selectAll().where('partition_name', '=', name).executeTakeFirst();
}

async function readArchive(name: string): Promise<Array<Record<string, unknown>>> {
  const log = await logOf(name);
  const rows: Array<Record<string, unknown>> = [];
  for (const part of log?.parts ?? []) {
    const bytes = await objects.get(part.key);
    if (bytes === null) throw new Error(`missing ${part.key}`);
    rows.push(...(await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })));
  }
  return rows;
}

describe('partition maintenance of orch.sms_messages', () => {
  it('creates the partitions from yesterday to seven days ahead', async () => {
    await sql`DROP TABLE orch.${sql.raw(partitionNameOf(new Date(today.getTime() + 7 * DAY)))}`.execute(orch.database.db);

    const report = await maintenance().createAhead();

    expect(report).toEqual([partitionNameOf(new Date(today.getTime() + 7 * DAY))]);
    expect(await tableExists(partitionNameOf(new Date(today.getTime() + 7 * DAY)))).toBe(true);
  });

  it('detaches, archives as Parquet and drops a partition older than 90 days, keeping every row and column', async () => {
    const old = daysAgo(120);
    const name = partitionNameOf(old);
    const messages = await storeMessagesOn(old, ['tenant-a', 'tenant-b', 'tenant-a', 'tenant-c', 'tenant-b', 'tenant-a', 'tenant-c']);

    const report = await maintenance().run();
    const archive = await readArchive(name);
    const log = await logOf(name);

    expect(report).toMatchObject({ ran: true, detached: [name], archived: [name], dropped: [name] });
    expect(await tableExists(name)).toBe(false);
    expect(log).toMatchObject({ state: 'dropped', row_count: 7, object_key: `orch/sms_messages/${name.slice(14, 18)}/${name.slice(18, 20)}/${name}/manifest.json` });
    expect(log?.parts.map((p) => p.rows)).toEqual([3, 3, 1]);
    expect(archive.map((r) => r.id)).toEqual(messages.map((m) => m.id).sort());
    const first = archive.find((r) => r.id === messages[0]?.id);
    expect(first).toMatchObject({ tenant_id: 'tenant-a', body: 'archived body 0 ✓', to_msisdn: '+93791234567', status: 'accepted', segment_count: 1, version: 0 });
    expect(first?.created_at).toEqual(messages[0]?.acceptedAt);
    const manifest = JSON.parse(new TextDecoder().decode((await objects.get(log!.object_key!)))) as { rows: number; parts: unknown[] };
    expect(manifest).toMatchObject({ rows: 7, parts: log?.parts });
  });

  it('leaves partitions inside the retention alone, attached and readable', async () => {
    const recent = daysAgo(30);
    const [message] = await storeMessagesOn(recent, ['tenant-a']);

    await maintenance().run();
    const found = await withTenant(orch.database.db, { tenantId: 'tenant-a', role: orch.roles.appRole }, (trx) => new PostgresMessageRepository(trx, 'orch').findById(message!.id));

    expect(await tableExists(partitionNameOf(recent))).toBe(true);
    expect(found?.id).toBe(message?.id);
  });

  it('does nothing on a second run', async () => {
    const report = await maintenance().run();

    expect(report).toEqual({ created: [], detached: [], archived: [], dropped: [], ran: true });
  });

  it('resumes an archive that stopped half way: the written parts are kept, the rest written, nothing twice', async () => {
    const old = daysAgo(100);
    const name = partitionNameOf(old);
    const messages = await storeMessagesOn(old, ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']);
    let puts = 0;
    const failing: ObjectStore = {
      ...objects,
      put: async (key, body, options) => {
        puts += 1;
        if (puts === 2) throw new Error('object store went away');
        return objects.put(key, body, options);
      },
    };

    await expect(maintenance({ store: failing }).run()).rejects.toThrow('object store went away');
    const halfway = await logOf(name);
    const resumed = await maintenance().run();
    const archive = await readArchive(name);

    expect(halfway).toMatchObject({ state: 'detached' });
    expect(halfway?.parts).toHaveLength(1);
    expect(await tableExists(name)).toBe(false);
    expect(resumed).toMatchObject({ detached: [], archived: [name], dropped: [name] });
    expect(archive.map((r) => r.id)).toEqual(messages.map((m) => m.id).sort());
  });

  it('resumes after a stop between detaching and archiving', async () => {
    const old = daysAgo(95);
    const name = partitionNameOf(old);
    await storeMessagesOn(old, ['tenant-a', 'tenant-b']);
    await maintenance().detachExpired();

    const report = await maintenance().run();

    expect(report).toMatchObject({ detached: [], archived: [name], dropped: [name] });
    expect((await readArchive(name)).map((r) => r.tenant_id).sort()).toEqual(['tenant-a', 'tenant-b']);
  });

  it('refuses to drop an archived partition whose manifest is gone from the object store', async () => {
    const old = daysAgo(93);
    const name = partitionNameOf(old);
    await storeMessagesOn(old, ['tenant-a']);
    const m = maintenance();
    await m.detachExpired();
    await m.archiveDetached();
    await objects.delete((await logOf(name))!.object_key!);

    await expect(m.dropArchived()).rejects.toThrow(/refusing to drop/);
    expect(await tableExists(name)).toBe(true);

    await orch.database.db.withSchema('orch').updateTable('sms_messages_archive_log').set({ state: 'detached' }).where('partition_name', '=', name).execute();
    expect(await m.run()).toMatchObject({ archived: [name], dropped: [name] });
  });

  it('does nothing while another replica holds the maintenance lock', async () => {
    const other = new pg.Client({ connectionString: orch.url });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('sms.orch.partition-maintenance'), hashtext('orch'))`);
      await storeMessagesOn(daysAgo(92), ['tenant-a']);

      const report = await maintenance().run();

      expect(report.ran).toBe(false);
      expect(await tableExists(partitionNameOf(daysAgo(92)))).toBe(true);
    } finally {
      await other.end();
    }
  });
});
