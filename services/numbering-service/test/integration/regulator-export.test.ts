import { generateKeyPairSync, createHash, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { createDatabase } from '@sms/db';
import type { Database } from '@sms/db';
import { ManualClock } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { createLocalObjectStore, ObjectRetainedError, ObjectStoreUnavailableError } from '@sms/object-store';
import type { ObjectStore } from '@sms/object-store';
import { createLocalSigner } from '@sms/secrets';
import type { Signer } from '@sms/secrets';
import type { Actor, ExportManifest, ExportSignatureFile } from '../../src/index.js';
import { NumberingMetrics } from '../../src/adapters/observability/numbering-metrics.js';
import { standaloneRunner, SYSTEM_SCOPE } from '../../src/adapters/postgres/numbering-scope.js';
import type { NumberingDb } from '../../src/adapters/postgres/numbering-scope.js';
import { PostgresJobScheduler } from '../../src/adapters/postgres/postgres-job.scheduler.js';
import { JOB_NAMES } from '../../src/composition/numbering-jobs.js';
import { createRegulatorExport } from '../../src/composition/numbering-regulator-export.js';
import type { RegulatorExportRuntime } from '../../src/composition/numbering-regulator-export.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';

const MINUTE = 60_000;
const ACME = 'tenant-acme';
const SHOP = 'tenant-shop';
const COMPLIANCE: Actor = { role: 'compliance', id: 'compliance-1' };
const PREFIX = 'numbering/regulator-exports/2026-10/';
const logger = createLogger({ service: 'numbering-export-test', level: 'silent' });

const must = <T>(result: Result<T, { code: string; message?: string }>, what = 'arrange'): T => {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message ?? ''}`);
  return result.value;
};
const text = (bytes: Uint8Array | null): string => (bytes === null ? '<none>' : new TextDecoder('utf-8', { fatal: true }).decode(bytes));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/** The data lines of a CSV (header and the empty string after the final CRLF dropped). */
const dataLines = (bytes: Uint8Array | null): string[] => text(bytes).split('\r\n').slice(1, -1);

interface ExportWorld {
  readonly world: PostgresWorld;
  readonly clock: ManualClock;
  readonly store: ObjectStore;
  readonly signer: Signer;
  readonly publicKey: KeyObject;
  readonly registry: Registry;
  /** A runtime over the fixture's pool; `options` swap the store or signer (fault injection) or the pool (a second replica). */
  exporter(options?: { readonly store?: ObjectStore; readonly signer?: Signer; readonly database?: Database<unknown> }): RegulatorExportRuntime;
  /** Every object under the month's prefix with its bytes. */
  objects(): Promise<Map<string, string>>;
  ledgerRow(): Promise<{ status: string; attempts: number; last_error: string | null } | undefined>;
}

/**
 * A world on its own schema, seeded through the use cases: numbers added on 30 September, October's
 * reservations, leases, a release, a recall, and changes after the month ended that October's inventory must
 * not show. Its objects go to a local object store in a temporary folder; the signing key is made here.
 */
async function exportWorld(fixture: PostgresFixture, folders: string[]): Promise<ExportWorld> {
  const clock = new ManualClock('2026-09-30T22:00:00.000Z');
  const world = await createPostgresWorld(fixture, { tenants: [ACME, SHOP], clock });
  const rootDir = await mkdtemp(join(tmpdir(), 'numbering-export-'));
  folders.push(rootDir);
  const store = createLocalObjectStore({ rootDir, clock });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = createLocalSigner({ privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
  const registry = new Registry();
  const metrics = new NumberingMetrics(registry);

  await seedOctober(world, clock);

  return {
    world,
    clock,
    store,
    signer,
    publicKey,
    registry,
    exporter: (options = {}) => {
      const db = (options.database?.db ?? fixture.database.db) as unknown as NumberingDb;
      return createRegulatorExport({
        db,
        run: standaloneRunner(db, fixture.roles, SYSTEM_SCOPE),
        schema: world.schema.name,
        objectStore: () => options.store ?? store,
        signer: options.signer ?? signer,
        clock,
        metrics,
        logger,
        pageSize: 2,
      });
    },
    async objects() {
      const out = new Map<string, string>();
      for (const key of await store.list(PREFIX)) out.set(key, text(await store.get(key)));
      return out;
    },
    async ledgerRow() {
      const rows = await sql<{ status: string; attempts: number; last_error: string | null }>`
        SELECT status, attempts, last_error FROM ${sql.id(world.schema.name, 'regulator_exports')} WHERE month = '2026-10'`.execute(fixture.database.db);
      return rows.rows[0];
    },
  };
}

async function seedOctober(world: PostgresWorld, clock: ManualClock): Promise<void> {
  const acme = tenant(ACME);
  const shop = tenant(SHOP);
  const as = (actor: Actor) => world.useCases.forActor(actor);
  const reserve = async (actor: Actor, tenantId: string, number: string) =>
    must(await as(actor).reserve.execute({ actor, idempotencyKey: world.key(), number, tenantId, tenantPoolId: world.tenantPools[tenantId] ?? '', ttlSeconds: 3600 }));
  const assign = async (actor: Actor, tenantId: string, number: string) =>
    must(await as(actor).assign.execute({ actor, idempotencyKey: world.key(), number, tenantId, uses: ['transactional'] }));
  const release = async (actor: Actor, tenantId: string, number: string) =>
    must(await as(actor).release.execute({ actor, idempotencyKey: world.key(), number, tenantId }));

  // 30 September 22:00: the inventory, and a reservation made before October.
  await world.addNumbers(['+93701000001', '+93701000002', '+93701000003', '+93701000004', '+93701000005']);
  await world.addNumbers(['4040'], { tier: 'gold' });
  await reserve(acme, ACME, '+93701000005');

  // October.
  clock.set('2026-10-03T09:00:00.000Z');
  await reserve(acme, ACME, '+93701000001');
  clock.advance(MINUTE);
  await assign(acme, ACME, '+93701000001');
  clock.advance(MINUTE);
  await reserve(shop, SHOP, '+93701000002');
  clock.advance(MINUTE);
  await release(shop, SHOP, '+93701000002');
  clock.advance(MINUTE);
  await reserve(acme, ACME, '+93701000003');
  clock.advance(MINUTE);
  await assign(acme, ACME, '+93701000003');
  clock.advance(MINUTE);
  must(await as(COMPLIANCE).recall.execute({ actor: COMPLIANCE, idempotencyKey: world.key(), number: '+93701000003', reason: 'regulator_order' }));
  clock.set('2026-10-20T12:00:00.000Z');
  await reserve(shop, SHOP, '4040');
  clock.advance(MINUTE);
  await assign(shop, SHOP, '4040');
  clock.advance(MINUTE);
  await release(acme, ACME, '+93701000005');

  // November, before the export runs: none of this is in October's files.
  clock.set('2026-11-01T00:30:00.000Z');
  await release(acme, ACME, '+93701000001');
  await world.addNumbers(['+93701000006']);
  clock.set('2026-11-01T02:00:00.000Z');
}

describe('monthly regulator export on PostgreSQL and the local object store', () => {
  let fixture: PostgresFixture;
  const folders: string[] = [];

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_export');
  });

  afterAll(async () => {
    await fixture.close();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it("writes October's inventory as it stood at the month's end, and October's history, as documented CSV", async () => {
    const w = await exportWorld(fixture, folders);

    const output = must(await w.exporter().run(COMPLIANCE, '2026-10'), 'export');

    expect(output.outcome).toBe('exported');
    expect(text(await w.store.get(`${PREFIX}inventory.csv`))).toBe(
      [
        'number,kind,operator_code,contract_ref,block_ref,pool_ref,tier,state,tenant_id,state_since',
        '+93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,standard,assigned,tenant-acme,2026-10-03T09:01:00.000Z',
        '+93701000002,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,standard,quarantined,,2026-10-03T09:03:00.000Z',
        '+93701000003,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,standard,recalled,,2026-10-03T09:06:00.000Z',
        '+93701000004,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,standard,available,,2026-09-30T22:00:00.000Z',
        '+93701000005,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,standard,quarantined,,2026-10-20T12:02:00.000Z',
        '4040,short_code,ROSHAN,CTR-ROSHAN-2026,BLK-SC,general,gold,assigned,tenant-shop,2026-10-20T12:01:00.000Z',
        '',
      ].join('\r\n'),
    );
    // audit_seq differs per schema run only by the catalog rows before it; compare every other column.
    const history = dataLines(await w.store.get(`${PREFIX}lease-history.csv`)).map((line) => line.split(','));
    expect(history.map(([at, , ...rest]) => [at, ...rest])).toEqual([
      ['2026-10-03T09:00:00.000Z', 'number.reserved', '+93701000001', 'msisdn', 'ROSHAN', ACME, 'available', 'reserved', '', 'tenant'],
      ['2026-10-03T09:01:00.000Z', 'lease.assigned', '+93701000001', 'msisdn', 'ROSHAN', ACME, 'reserved', 'assigned', '', 'tenant'],
      ['2026-10-03T09:02:00.000Z', 'number.reserved', '+93701000002', 'msisdn', 'ROSHAN', SHOP, 'available', 'reserved', '', 'tenant'],
      ['2026-10-03T09:03:00.000Z', 'reservation.cancelled', '+93701000002', 'msisdn', 'ROSHAN', SHOP, 'reserved', 'quarantined', 'tenant_released', 'tenant'],
      ['2026-10-03T09:03:00.000Z', 'number.quarantined', '+93701000002', 'msisdn', 'ROSHAN', SHOP, 'reserved', 'quarantined', 'tenant_released', 'tenant'],
      ['2026-10-03T09:04:00.000Z', 'number.reserved', '+93701000003', 'msisdn', 'ROSHAN', ACME, 'available', 'reserved', '', 'tenant'],
      ['2026-10-03T09:05:00.000Z', 'lease.assigned', '+93701000003', 'msisdn', 'ROSHAN', ACME, 'reserved', 'assigned', '', 'tenant'],
      ['2026-10-03T09:06:00.000Z', 'number.recalled', '+93701000003', 'msisdn', 'ROSHAN', ACME, 'assigned', 'recalled', 'regulator_order', 'compliance'],
      ['2026-10-20T12:00:00.000Z', 'number.reserved', '4040', 'short_code', 'ROSHAN', SHOP, 'available', 'reserved', '', 'tenant'],
      ['2026-10-20T12:01:00.000Z', 'lease.assigned', '4040', 'short_code', 'ROSHAN', SHOP, 'reserved', 'assigned', '', 'tenant'],
      ['2026-10-20T12:02:00.000Z', 'reservation.cancelled', '+93701000005', 'msisdn', 'ROSHAN', ACME, 'reserved', 'quarantined', 'tenant_released', 'tenant'],
      ['2026-10-20T12:02:00.000Z', 'number.quarantined', '+93701000005', 'msisdn', 'ROSHAN', ACME, 'reserved', 'quarantined', 'tenant_released', 'tenant'],
    ]);
    const seqs = history.map((cells) => Number(cells[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('signs the manifest, whose row counts and SHA-256 match the stored files, all retained write-once for 7 years', async () => {
    const w = await exportWorld(fixture, folders);

    const output = must(await w.exporter().run(COMPLIANCE, '2026-10'), 'export');

    const manifestBytes = (await w.store.get(`${PREFIX}manifest.json`)) ?? new Uint8Array();
    const manifest = JSON.parse(text(manifestBytes)) as ExportManifest;
    const signature = JSON.parse(text(await w.store.get(`${PREFIX}manifest.json.sig`))) as ExportSignatureFile;
    const files = await Promise.all(
      manifest.files.map(async (file) => {
        const bytes = (await w.store.get(file.key)) ?? new Uint8Array();
        return { name: file.name, sha256: sha256(bytes) === file.sha256, bytes: bytes.byteLength === file.bytes, rows: dataLines(bytes).length === file.rows };
      }),
    );
    const heads = await Promise.all((await w.store.list(PREFIX)).map(async (key) => (await w.store.head(key))?.retainUntil?.toISOString()));

    expect(verify(null, manifestBytes, w.publicKey, Buffer.from(signature.signature, 'base64'))).toBe(true);
    expect(await w.signer.verify(manifestBytes, { ...signature, algorithm: 'Ed25519' })).toBe(true);
    expect([manifest.month, manifest.formatVersion, manifest.inventoryAsOf, manifest.signature.keyId, signature.keyId]).toEqual([
      '2026-10',
      1,
      '2026-11-01T00:00:00.000Z',
      signature.keyId,
      (await w.signer.sign(new Uint8Array())).keyId,
    ]);
    expect(files).toEqual([
      { name: 'inventory.csv', sha256: true, bytes: true, rows: true },
      { name: 'lease-history.csv', sha256: true, bytes: true, rows: true },
    ]);
    expect(manifest.files.map((f) => f.rows)).toEqual([6, 12]);
    expect([output.export.status, output.export.manifestSha256, output.export.signatureKeyId]).toEqual(['completed', sha256(manifestBytes), signature.keyId]);
    expect(heads).toEqual(['2033-11-01T02:00:00.000Z', '2033-11-01T02:00:00.000Z', '2033-11-01T02:00:00.000Z', '2033-11-01T02:00:00.000Z']);
    await expect(w.store.put(`${PREFIX}manifest.json`, new Uint8Array([1]))).rejects.toBeInstanceOf(ObjectRetainedError);
  });

  it('changes nothing when the same month is exported again: same objects, same bytes, one attempt', async () => {
    const w = await exportWorld(fixture, folders);
    const exporter = w.exporter();
    must(await exporter.run(COMPLIANCE, '2026-10'), 'first export');
    const before = await w.objects();
    w.clock.advance(3 * 86_400_000);

    const again = must(await exporter.run(COMPLIANCE, '2026-10'), 'second export');

    expect(again.outcome).toBe('already_exported');
    expect(await w.objects()).toEqual(before);
    expect([...before.keys()]).toEqual([`${PREFIX}inventory.csv`, `${PREFIX}lease-history.csv`, `${PREFIX}manifest.json`, `${PREFIX}manifest.json.sig`]);
    expect(await w.ledgerRow()).toEqual({ status: 'completed', attempts: 1, last_error: null });
  });

  it('exports once when two replicas run the same month at the same time', async () => {
    const w = await exportWorld(fixture, folders);
    const second = createDatabase<unknown>({ url: fixture.fresh.url, poolMax: 4 });
    try {
      let signing!: () => void;
      const firstIsSigning = new Promise<void>((resolve) => (signing = resolve));
      let letFirstFinish!: () => void;
      const firstMayFinish = new Promise<void>((resolve) => (letFirstFinish = resolve));
      const slowSigner: Signer = {
        ...w.signer,
        sign: async (data) => {
          signing();
          await firstMayFinish;
          return w.signer.sign(data);
        },
      };
      const replicaA = w.exporter({ signer: slowSigner });
      const replicaB = w.exporter({ database: second });

      const first = replicaA.run(COMPLIANCE, '2026-10');
      await firstIsSigning;
      const during = await replicaB.run(COMPLIANCE, '2026-10');
      letFirstFinish();
      const firstOutcome = await first;
      const after = await replicaB.run(COMPLIANCE, '2026-10');

      expect([during.ok ? during.value.outcome : during.error.code, firstOutcome.ok ? firstOutcome.value.outcome : firstOutcome.error.code]).toEqual([
        'NUMBERING.EXPORT_IN_PROGRESS',
        'exported',
      ]);
      expect(after.ok ? after.value.outcome : after.error.code).toBe('already_exported');
      expect([...(await w.objects()).keys()]).toHaveLength(4);
      expect(await w.ledgerRow()).toEqual({ status: 'completed', attempts: 1, last_error: null });
    } finally {
      await second.close();
    }
  });

  it('runs the monthly job on one of two schedulers only, and only once the month has ended and settled', async () => {
    const w = await exportWorld(fixture, folders);
    const scheduler = () =>
      new PostgresJobScheduler({ pool: fixture.database.pool, lockNamespace: `${w.world.schema.name}:jobs`, jobs: [w.exporter().job], clock: w.clock, logger });
    const [one, two] = [scheduler(), scheduler()];

    w.clock.set('2026-11-01T00:30:00.000Z');
    const beforeSettled = await one.runOnce(JOB_NAMES.regulatorExport);
    w.clock.set('2026-11-01T02:00:00.000Z');
    const both = await Promise.all([one.runOnce(JOB_NAMES.regulatorExport), two.runOnce(JOB_NAMES.regulatorExport)]);
    const nextHour = await two.runOnce(JOB_NAMES.regulatorExport);

    // October has ended, but late commits get an hour to settle before it is exported.
    expect(beforeSettled).toEqual({ status: 'ran', handled: 0 });
    // Either the second scheduler found the job's lock taken (skipped), or it ran after the first and found October done.
    expect(both.filter((o) => o.status === 'ran' && o.handled === 1)).toHaveLength(1);
    expect(nextHour).toEqual({ status: 'ran', handled: 0 });
    expect([...(await w.objects()).keys()]).toHaveLength(4);
    expect(await w.ledgerRow()).toEqual({ status: 'completed', attempts: 1, last_error: null });
  });

  it('resumes after a crash between the data files and the manifest, adopting the files already written', async () => {
    const w = await exportWorld(fixture, folders);
    const crashing: ObjectStore = {
      ...w.store,
      put: (key, body, options) =>
        key.endsWith('manifest.json') ? Promise.reject(new ObjectStoreUnavailableError('unreachable', 'injected: the store went away')) : w.store.put(key, body, options),
    };

    await expect(w.exporter({ store: crashing }).run(COMPLIANCE, '2026-10')).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
    const leftover = await w.objects();
    const failed = await w.ledgerRow();
    const resumed = must(await w.exporter().run(COMPLIANCE, '2026-10'), 'resumed export');
    const manifest = JSON.parse((await w.objects()).get(`${PREFIX}manifest.json`) ?? '') as ExportManifest;

    expect([...leftover.keys()]).toEqual([`${PREFIX}inventory.csv`, `${PREFIX}lease-history.csv`]);
    expect(failed).toEqual({ status: 'failed', attempts: 1, last_error: 'ObjectStoreUnavailableError: injected: the store went away' });
    expect(resumed.outcome).toBe('exported');
    expect(manifest.files.map((f) => f.key)).toEqual([`${PREFIX}inventory.csv`, `${PREFIX}lease-history.csv`]);
    expect(manifest.superseded).toEqual([]);
    expect(manifest.files.map((f) => f.sha256)).toEqual([...leftover.values()].map((body) => sha256(new TextEncoder().encode(body))));
    expect(await w.ledgerRow()).toEqual({ status: 'completed', attempts: 2, last_error: null });
    expect(await w.registry.getSingleMetricAsString('numbering_regulator_export_failures_total')).toContain('numbering_regulator_export_failures_total 1');
  });

  it('finishes an export whose manifest was written before a crash: signs it and keeps its bytes', async () => {
    const w = await exportWorld(fixture, folders);
    const crashing: ObjectStore = {
      ...w.store,
      put: (key, body, options) =>
        key.endsWith('.sig') ? Promise.reject(new ObjectStoreUnavailableError('timeout', 'injected: no answer')) : w.store.put(key, body, options),
    };

    await expect(w.exporter({ store: crashing }).run(COMPLIANCE, '2026-10')).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
    const committed = (await w.store.get(`${PREFIX}manifest.json`)) ?? new Uint8Array();
    const resumed = must(await w.exporter().run(COMPLIANCE, '2026-10'), 'resumed export');
    const signature = JSON.parse(text(await w.store.get(`${PREFIX}manifest.json.sig`))) as ExportSignatureFile;

    expect(resumed.outcome).toBe('exported');
    expect(text(await w.store.get(`${PREFIX}manifest.json`))).toBe(text(committed));
    expect(verify(null, committed, w.publicKey, Buffer.from(signature.signature, 'base64'))).toBe(true);
    expect(resumed.export.manifestSha256).toBe(sha256(committed));
  });

  it('never replaces a leftover file with other bytes: writes the next revision and lists the leftover as superseded', async () => {
    const w = await exportWorld(fixture, folders);
    const stale = new TextEncoder().encode('number,kind\r\n+93700000000,msisdn\r\n');
    await w.store.put(`${PREFIX}inventory.csv`, stale, { retainUntil: new Date('2033-01-01T00:00:00.000Z'), ifAbsent: true });

    const output = must(await w.exporter().run(COMPLIANCE, '2026-10'), 'export');

    expect(output.export.files.map((f) => f.name)).toEqual(['inventory.r2.csv', 'lease-history.csv']);
    expect(output.export.superseded).toEqual([{ key: `${PREFIX}inventory.csv`, sha256: sha256(stale) }]);
    expect(text(await w.store.get(`${PREFIX}inventory.csv`))).toBe(text(stale));
    expect(dataLines(await w.store.get(`${PREFIX}inventory.r2.csv`))).toHaveLength(6);
  });

  it('refuses a month that has not ended, a malformed month, and a role without export.run, writing nothing', async () => {
    const w = await exportWorld(fixture, folders);
    const exporter = w.exporter();
    const auditor: Actor = { role: 'auditor', id: 'auditor-1' };
    const code = (result: Result<unknown, { code: string }>) => (result.ok ? 'ok' : result.error.code);

    const outcomes = [
      code(await exporter.run(COMPLIANCE, '2026-11')),
      code(await exporter.run(COMPLIANCE, '2026-13')),
      code(await exporter.run(auditor, '2026-10')),
      code(await exporter.get(auditor, '2026-10')),
    ];

    expect(outcomes).toEqual(['NUMBERING.EXPORT_MONTH_NOT_ENDED', 'NUMBERING.INVALID_ARGUMENT', 'NUMBERING.FORBIDDEN', 'NUMBERING.EXPORT_NOT_FOUND']);
    expect(await w.store.list('numbering/')).toEqual([]);
    expect(await w.ledgerRow()).toBeUndefined();
  });
});
