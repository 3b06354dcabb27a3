import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ManualClock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import type { IdempotencyRequest } from '../../src/index.js';
import { SYSTEM_SCOPE, standaloneRunner } from '../../src/adapters/postgres/numbering-scope.js';
import { PostgresIdempotencyStore } from '../../src/adapters/postgres/postgres-idempotency.store.js';
import { PostgresJobScheduler } from '../../src/adapters/postgres/postgres-job.scheduler.js';
import { createIdempotencyPurgeJob, JOB_NAMES } from '../../src/composition/numbering-jobs.js';
import { startNumberingServiceFixture } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-05-01T10:00:00.000Z');
const logger = createLogger({ service: 'numbering-idempotency-purge-test', level: 'silent' });

const request = (key: string): IdempotencyRequest => ({ scope: 'number.reserve:admin-1', key, fingerprint: `fp-${key}` });

describe('the idempotency-key purge job on PostgreSQL', () => {
  let fixture: PostgresFixture;

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_idem_purge');
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** A fresh schema, its idempotency store (48 h window), the purge job (batches of 2) under the advisory-lock scheduler. */
  async function purgeWorld() {
    const schema = await fixture.schema();
    const clock = new ManualClock(T0);
    const store = new PostgresIdempotencyStore(standaloneRunner(fixture.database.db, fixture.roles, SYSTEM_SCOPE), schema.name, { windowMs: 48 * HOUR });
    const batches: number[] = [];
    const scheduler = new PostgresJobScheduler({
      pool: fixture.database.pool,
      lockNamespace: `${schema.name}:jobs`,
      jobs: [
        createIdempotencyPurgeJob({
          batchSize: 2,
          deleteExpired: async (before, limit) => {
            const deleted = await store.deleteExpired(before, limit);
            batches.push(deleted);
            return deleted;
          },
        }),
      ],
      clock,
      logger,
    });
    /** Records a completed key at the clock's current time. */
    const complete = async (key: string) => {
      expect(await store.claim(request(key), clock.now())).toEqual({ status: 'claimed' });
      await store.complete(request(key), { ok: true, value: { number: key } }, clock.now());
    };
    const keys = async (): Promise<string[]> => {
      const rows = await sql<{ key: string }>`SELECT key FROM ${sql.id(schema.name, 'idempotency_keys')} ORDER BY key`.execute(fixture.database.db);
      return rows.rows.map((r) => r.key);
    };
    return { store, clock, scheduler, batches, complete, keys, lockKey: `${schema.name}:jobs:${JOB_NAMES.idempotencyPurge}` };
  }

  it('deletes every key past its 48 h window, in batches, and keeps the younger ones', async () => {
    const w = await purgeWorld();
    for (const key of ['old-1', 'old-2', 'old-3', 'old-4', 'old-5']) await w.complete(key);
    w.clock.advance(47 * HOUR);
    await w.complete('young-1');
    await w.store.claim(request('young-running'), w.clock.now());
    w.clock.advance(HOUR + 1);

    const outcome = await w.scheduler.runOnce(JOB_NAMES.idempotencyPurge);

    expect(outcome).toEqual({ status: 'ran', handled: 5 });
    expect(w.batches).toEqual([2, 2, 1]);
    expect(await w.keys()).toEqual(['young-1', 'young-running']);
  });

  it('deletes an abandoned claim once its window has passed, like a completed key', async () => {
    const w = await purgeWorld();
    await w.store.claim(request('abandoned'), w.clock.now());
    w.clock.advance(48 * HOUR);

    await w.scheduler.runOnce(JOB_NAMES.idempotencyPurge);

    expect(await w.keys()).toEqual([]);
  });

  it('leaves keys within the window replaying their first answer', async () => {
    const w = await purgeWorld();
    await w.complete('within');
    w.clock.advance(48 * HOUR - 1);

    await w.scheduler.runOnce(JOB_NAMES.idempotencyPurge);

    expect(await w.store.claim(request('within'), w.clock.now())).toEqual({ status: 'replay', outcome: { ok: true, value: { number: 'within' } } });
  });

  it('skips the run while another instance holds the job lock', async () => {
    const w = await purgeWorld();
    await w.complete('old');
    w.clock.advance(49 * HOUR);
    const other = await fixture.database.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock(hashtext($1))', [w.lockKey]);

      expect(await w.scheduler.runOnce(JOB_NAMES.idempotencyPurge)).toEqual({ status: 'skipped' });
      expect(await w.keys()).toEqual(['old']);
    } finally {
      await other.query('SELECT pg_advisory_unlock(hashtext($1))', [w.lockKey]);
      other.release();
    }
  });
});

describe('the idempotency-key purge of the running service', () => {
  let service: NumberingServiceFixture;

  beforeAll(async () => {
    service = await startNumberingServiceFixture('numbering_idem_retention', { env: { NUMBERING_IDEMPOTENCY_RETENTION_HOURS: '2' } });
  });
  afterAll(async () => {
    await service.cleanup();
  });

  const storedKeys = async (): Promise<number> => {
    const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM numbering.idempotency_keys`.execute(service.pg.database.db);
    return Number(rows.rows[0]?.n ?? 0);
  };

  it('keeps keys for NUMBERING_IDEMPOTENCY_RETENTION_HOURS and purges them after, on its scheduler', async () => {
    const clock = service.clock as ManualClock;
    const admin = { role: 'admin', id: 'admin-1' } as const;
    const created = await service.runtime.useCases.forActor(admin).createPool.execute({
      actor: admin,
      idempotencyKey: 'pool-1',
      reference: 'retention',
      name: 'retention',
      kind: null,
      segments: [],
    });
    if (!created.ok) throw new Error(`arrange: ${created.error.code}`);
    const written = await storedKeys();
    clock.advance(2 * HOUR - 1);

    const early = await service.runtime.scheduler.runOnce(JOB_NAMES.idempotencyPurge);
    const keptWithin = await storedKeys();
    clock.advance(1);
    const late = await service.runtime.scheduler.runOnce(JOB_NAMES.idempotencyPurge);

    expect(written).toBeGreaterThan(0);
    expect([early, keptWithin]).toEqual([{ status: 'ran', handled: 0 }, written]);
    expect([late, await storedKeys()]).toEqual([{ status: 'ran', handled: written }, 0]);
  });
});
