import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, tryWithAdvisoryLock } from '@sms/db';
import type { Database } from '@sms/db';
import { ManualClock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { SubmittedPartsCleanupJob } from '../../src/adapters/jobs/submitted-parts-cleanup.job.js';
import { PostgresSmppStore } from '../../src/adapters/postgres/postgres-smpp-store.js';
import { PostgresSubmittedPartsPurger } from '../../src/adapters/postgres/postgres-submitted-parts.purger.js';
import { PurgeSubmittedParts } from '../../src/application/purge-submitted-parts.use-case.js';
import type { SubmittedPartsRetention } from '../../src/application/purge-submitted-parts.use-case.js';
import { createGatewayDatabase, SCHEMA } from '../support/gateway-fixture.js';
import type { GatewayDatabase } from '../support/gateway-fixture.js';

const NOW = new Date('2026-04-18T10:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

let db: GatewayDatabase;
const pools: Database<unknown>[] = [];

beforeAll(async () => {
  db = await createGatewayDatabase('smpp_parts_cleanup');
});
beforeEach(async () => {
  await sql`DELETE FROM smpp.submitted_parts`.execute(db.database.db);
});
afterAll(async () => {
  for (const pool of pools) await pool.close();
  await db?.cleanup();
});

/** One replica's cleanup job, on a pool of its own. */
function replica(retention: Partial<SubmittedPartsRetention> = {}, registry = new Registry()): SubmittedPartsCleanupJob {
  const pool = createDatabase<unknown>({ url: db.fresh.url, poolMax: 3 });
  pools.push(pool);
  return new SubmittedPartsCleanupJob({
    db: pool.db,
    schema: SCHEMA,
    purge: new PurgeSubmittedParts({
      purger: new PostgresSubmittedPartsPurger({ db: pool.db, schema: SCHEMA, systemRole: db.roles.systemRole }),
      clock: new ManualClock(NOW),
      retention: { retentionMs: 7 * DAY, batchSize: 1_000, maxBatchesPerRun: 100, ...retention },
    }),
    intervalMs: 3_600_000,
    logger: createLogger({ service: 'smpp-gateway', level: 'silent' }),
    registry,
  });
}

/** Parts (one per message) submitted at the given times, with SMSC ids `smsc-<n>`; answers their message ids. */
async function insertParts(submittedAt: readonly Date[], offset = 0): Promise<string[]> {
  const ids = submittedAt.map(() => randomUUID());
  if (ids.length === 0) return ids;
  const rows = submittedAt.map((at, i) => sql`(${ids[i]}::uuid, 1, 1, 'acme', 'roshan', 'roshan-1', ${`SMSC-${offset + i}`}, ${`smsc-${offset + i}`}, ${at}::timestamptz)`);
  await sql`INSERT INTO smpp.submitted_parts (message_id, part_sequence, total_parts, tenant_id, operator_id, connection_id, smsc_message_id, smsc_message_id_key, submitted_at)
    VALUES ${sql.join(rows)}`.execute(db.database.db);
  return ids;
}

async function remaining(): Promise<string[]> {
  const result = await sql<{ message_id: string }>`SELECT message_id FROM smpp.submitted_parts ORDER BY submitted_at`.execute(db.database.db);
  return result.rows.map((r) => r.message_id);
}

describe('cleanup of submitted parts', () => {
  it('deletes the parts older than the retention in batches and keeps the recent ones, which receipts still find', async () => {
    const old = await insertParts(Array.from({ length: 25 }, (_, i) => new Date(daysAgo(8).getTime() - i * 60_000)));
    const recent = await insertParts([daysAgo(6), daysAgo(1)], 100);
    const registry = new Registry();

    const outcome = await replica({ batchSize: 10 }, registry).runOnce();

    expect(outcome).toEqual({ status: 'ran', value: { cutoff: daysAgo(7), purged: 25, batches: 3, complete: true } });
    expect(old).toHaveLength(25);
    expect(new Set(await remaining())).toEqual(new Set(recent));
    const store = new PostgresSmppStore({ db: db.database.db, schema: SCHEMA, systemRole: db.roles.systemRole });
    await expect(store.run((scope) => scope.findForReceipt('roshan-1', 'smsc-100'))).resolves.toMatchObject({ messageId: recent[0] });
    await expect(store.run((scope) => scope.findForReceipt('roshan-1', 'smsc-0'))).resolves.toBeNull();
    expect((await registry.getSingleMetric('smpp_submitted_parts_purged_total')?.get())?.values[0]?.value).toBe(25);
  });

  it('leaves the rest of a large backlog to the next run when a run reaches its batch limit', async () => {
    await insertParts(Array.from({ length: 12 }, (_, i) => new Date(daysAgo(10).getTime() + i)));
    const job = replica({ batchSize: 5, maxBatchesPerRun: 2 });

    expect(await job.runOnce()).toMatchObject({ status: 'ran', value: { purged: 10, complete: false } });
    expect(await remaining()).toHaveLength(2);
    expect(await job.runOnce()).toMatchObject({ status: 'ran', value: { purged: 2, complete: true } });
    expect(await remaining()).toEqual([]);
  });

  it('skips the run on every replica while another replica runs it', async () => {
    await insertParts([daysAgo(9), daysAgo(8)]);
    const [a, b] = [replica(), replica()];
    const other = createDatabase<unknown>({ url: db.fresh.url, poolMax: 2 });
    pools.push(other);

    const whileHeld = await tryWithAdvisoryLock(other.db, a.lockName, async () => [await a.runOnce(), await b.runOnce()]);

    expect(whileHeld).toEqual({ status: 'ran', value: [{ status: 'skipped' }, { status: 'skipped' }] });
    expect(await remaining()).toHaveLength(2);
    expect(await b.runOnce()).toMatchObject({ status: 'ran', value: { purged: 2 } });
  });

  it('deletes each old part once when two replicas run the cleanup at the same instant', async () => {
    await insertParts(Array.from({ length: 40 }, (_, i) => new Date(daysAgo(8).getTime() - i)));
    const [a, b] = [replica({ batchSize: 4 }), replica({ batchSize: 4 })];

    const outcomes = await Promise.all([a.runOnce(), b.runOnce()]);

    const purged = outcomes.map((o) => (o.status === 'ran' ? o.value.purged : 0));
    expect(purged[0]! + purged[1]!).toBe(40);
    expect(await remaining()).toEqual([]);
  });

  it('runs at start when the gateway schedules it, and stops cleanly', async () => {
    await insertParts([daysAgo(30)]);
    const job = replica();

    job.start();
    await expect.poll(remaining, { timeout: 5_000, interval: 20 }).toEqual([]);
    await job.stop();
  });
});
