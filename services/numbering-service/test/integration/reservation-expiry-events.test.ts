import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisCache } from '@sms/cache';
import type { Cache } from '@sms/cache';
import type { Database } from '@sms/db';
import { createMetricsRegistry } from '@sms/http';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { startPrivateRedisServer, uniqueName } from '@sms/testing';
import type { PrivateRedisServer } from '@sms/testing';
import type { Registry } from 'prom-client';
import { createNumberingPolicy, InMemoryLeaseCache, InMemoryOperatorKeyring } from '../../src/index.js';
import type { NumberRecord } from '../../src/index.js';
import { SYSTEM_SCOPE } from '../../src/adapters/postgres/numbering-scope.js';
import { JOB_NAMES } from '../../src/composition/numbering-jobs.js';
import { startNumbering } from '../../src/composition/start-numbering.js';
import type { NumberingRuntime } from '../../src/composition/start-numbering.js';
import { createNatsFixture } from '../support/nats-fixture.js';
import type { NatsFixture } from '../support/nats-fixture.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { insertNumbers, seedCatalog, tenant } from '../support/postgres-world.js';
import { createTestAuth } from '../support/test-auth.js';
import type { TestAuth } from '../support/test-auth.js';

const TENANT = 'tenant-ttl';
const TTL_SECONDS = 2;
const EXPIRED_CHANNEL = '__keyevent@0__:expired';
const logger = createLogger({ service: 'numbering-expiry-events-test', level: 'silent' });

/** One numbering-service instance on the wall clock, with its reservation timers on `redisUrl`. */
interface Instance {
  readonly runtime: NumberingRuntime;
  readonly registry: Registry;
  /** Adds a fresh available number to the inventory. */
  freshNumber(): Promise<string>;
  /** Reserves the number for the test tenant for TTL_SECONDS; answers the reservation's TTL. */
  reserve(value: string): Promise<Date>;
  read(value: string): Promise<NumberRecord>;
  /** When the number was released (the quarantine's start, as recorded in PostgreSQL), or null while it is not. */
  releasedAt(value: string): Promise<Date | null>;
  metric(name: string, labels: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

let next = 0;

async function startInstance(pg: PostgresFixture, nats: NatsFixture, auth: TestAuth, redisUrl: string, expiryEventsRetryMs?: number): Promise<Instance> {
  const schema = await pg.schema({ clock: systemClock });
  const expiryCache: Cache = createRedisCache({ url: redisUrl, keyPrefix: `${uniqueName('ttl')}:` });
  const registry = createMetricsRegistry('numbering-service');
  const runtime = await startNumbering({
    database: pg.database as unknown as Database<unknown>,
    schema: schema.name,
    roles: pg.roles,
    bus: nats.bus,
    leaseCache: new InMemoryLeaseCache(systemClock),
    clock: systemClock,
    ids: uuidv7Generator,
    logger,
    registry,
    verifier: auth.verifier,
    policy: createNumberingPolicy({ reservationTtlSeconds: { min: 1, default: TTL_SECONDS } }),
    keyring: new InMemoryOperatorKeyring(),
    subjectPrefix: nats.subjectPrefix,
    grpc: null,
    relayPollIntervalMs: 100,
    // The scheduled jobs' timers are off: the test runs the safety net itself when it wants it.
    runJobs: false,
    // Not run here (the monthly export has its own test).
    regulatorExport: {
      objectStore: () => {
        throw new Error('this test runs no regulator export');
      },
      signer: { sign: () => Promise.reject(new Error('this test runs no regulator export')) },
    },
    expiryCache,
    ...(expiryEventsRetryMs === undefined ? {} : { expiryEventsRetryMs }),
  });
  const catalog = await seedCatalog(runtime.useCases, systemClock, [TENANT]);
  const read = async (value: string): Promise<NumberRecord> => {
    const found = await runtime.useCases.system.numbers.findByValue(value);
    if (found === null) throw new Error(`no number ${value}`);
    return found;
  };
  return {
    runtime,
    registry,
    async freshNumber() {
      const value = `+9370${String(1_000_000 + (next += 1)).padStart(7, '0')}`;
      await insertNumbers(schema.store.scoped(SYSTEM_SCOPE), catalog, systemClock, [value]);
      return value;
    },
    async reserve(value) {
      const actor = tenant(TENANT);
      const result = await runtime.useCases.forActor(actor).reserve.execute({
        actor,
        idempotencyKey: uuidv7Generator.next(),
        number: value,
        tenantId: TENANT,
        tenantPoolId: catalog.tenantPools[TENANT] ?? '',
        ttlSeconds: TTL_SECONDS,
      });
      if (!result.ok || result.value.reservation === null) throw new Error(`arrange: reserve failed (${result.ok ? 'no reservation' : result.error.code})`);
      return new Date(result.value.reservation.expiresAt);
    },
    read,
    async releasedAt(value) {
      const l = (await read(value)).lifecycle;
      return l.state === 'quarantined' ? l.quarantine.startedAt : null;
    },
    async metric(name, labels) {
      const found = (await registry.getSingleMetric(name)?.get())?.values.find((v) =>
        Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
      );
      return found?.value ?? 0;
    },
    async close() {
      for (const step of runtime.closers) await step.close().catch(() => undefined);
      await expiryCache.close();
    },
  };
}

/** The milliseconds between a reservation's TTL and its recorded release. */
async function lateness(instance: Instance, value: string, ttl: Date): Promise<number> {
  const released = await instance.releasedAt(value);
  if (released === null) throw new Error(`${value} is not released`);
  return released.getTime() - ttl.getTime();
}

// numbering-service as it runs in production: PostgreSQL, NATS, and the reservation timers on a
// redis-server of this test's own (its keyspace-event flags are changed and it is stopped, which the shared
// server must never see).
describe('reservation expiry through Redis keyspace events', () => {
  let pg: PostgresFixture;
  let nats: NatsFixture;
  let auth: TestAuth;

  beforeAll(async () => {
    pg = await createPostgresFixture('numbering_ttl_events');
    nats = await createNatsFixture('numbering_ttl_events');
    auth = await createTestAuth();
  });
  afterAll(async () => {
    await nats?.cleanup();
    await auth?.cleanup();
    await pg?.close();
  });

  describe('with the events on', () => {
    let redisServer: PrivateRedisServer;
    let admin: Redis;
    let instance: Instance;

    beforeAll(async () => {
      redisServer = await startPrivateRedisServer();
      admin = new Redis(redisServer.url);
      await admin.config('SET', 'notify-keyspace-events', 'Ex');
      instance = await startInstance(pg, nats, auth, redisServer.url);
    });
    afterAll(async () => {
      await instance?.close();
      await admin?.quit();
      await redisServer?.dispose();
    });

    it('releases each reservation within 2 s after its TTL, without the safety-net job', async () => {
      const values = [await instance.freshNumber(), await instance.freshNumber(), await instance.freshNumber()];
      const ttls = await Promise.all(values.map((value) => instance.reserve(value)));

      await vi.waitFor(
        async () => {
          for (const value of values) expect(await instance.releasedAt(value)).not.toBeNull();
        },
        { timeout: 15_000, interval: 100 },
      );

      for (const [i, value] of values.entries()) {
        const lateMs = await lateness(instance, value, ttls[i] ?? new Date());
        expect(lateMs).toBeGreaterThanOrEqual(0);
        expect(lateMs).toBeLessThanOrEqual(2000);
        expect((await instance.read(value)).lifecycle).toMatchObject({ state: 'quarantined', quarantine: { reason: 'reservation_expired' } });
      }
      expect(await instance.metric('numbering_reservation_expiries_total', { path: 'timer' })).toBe(3);
      expect(await instance.metric('numbering_job_runs_total', { job: JOB_NAMES.reservationExpiry, outcome: 'ran' })).toBe(0);
    });

    it('records the timer path in the audit trail, once per reservation', async () => {
      const value = await instance.freshNumber();
      await instance.reserve(value);

      await vi.waitFor(async () => expect(await instance.releasedAt(value)).not.toBeNull(), { timeout: 15_000, interval: 100 });

      const number = await instance.read(value);
      const rows = await instance.runtime.useCases.system.auditReader.readAfter(0, 10_000);
      const expiries = rows.filter((r) => r.aggregateId === number.id && r.action === 'number.expire');
      expect(expiries.map((r) => r.actor)).toEqual([{ role: 'system', id: 'numbering-reservation-timer', tenantId: null }]);
    });

    it('still releases through the safety net when Redis delivers no expiry events', async () => {
      // The keys still expire, but nothing is told: as with a server whose events are off, or a lost subscriber.
      await admin.config('SET', 'notify-keyspace-events', '');
      try {
        const value = await instance.freshNumber();
        const ttl = await instance.reserve(value);
        await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(ttl.getTime() + 2500), { timeout: 10_000, interval: 100 });
        expect(await instance.releasedAt(value)).toBeNull();

        const outcome = await instance.runtime.scheduler.runOnce(JOB_NAMES.reservationExpiry);

        expect(outcome).toEqual({ status: 'ran', handled: 1 });
        expect((await instance.read(value)).lifecycle).toMatchObject({ state: 'quarantined', quarantine: { reason: 'reservation_expired' } });
        expect(await instance.metric('numbering_reservation_expiries_total', { path: 'safety_net' })).toBe(1);
      } finally {
        await admin.config('SET', 'notify-keyspace-events', 'Ex');
      }
    });
  });

  describe('with Redis down when the service starts', () => {
    let redisServer: PrivateRedisServer;
    let instance: Instance;

    beforeAll(async () => {
      redisServer = await startPrivateRedisServer();
      await redisServer.kill();
      instance = await startInstance(pg, nats, auth, redisServer.url, 200);
    });
    afterAll(async () => {
      await instance?.close();
      await redisServer?.dispose();
    });

    it('starts anyway, releases through the safety net meanwhile, and uses the events once Redis is back', async () => {
      const early = await instance.freshNumber();
      const earlyTtl = await instance.reserve(early);
      await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(earlyTtl.getTime()), { timeout: 10_000, interval: 100 });
      expect(await instance.runtime.scheduler.runOnce(JOB_NAMES.reservationExpiry)).toEqual({ status: 'ran', handled: 1 });

      // A restarted redis-server starts with its events off: the service turns them on when it subscribes again.
      await redisServer.restart();
      const admin = new Redis(redisServer.url);
      try {
        await vi.waitFor(
          async () => {
            const [, subscribers] = (await admin.pubsub('NUMSUB', EXPIRED_CHANNEL)) as [string, number];
            expect(subscribers).toBeGreaterThan(0);
          },
          { timeout: 15_000, interval: 100 },
        );
      } finally {
        await admin.quit();
      }
      const later = await instance.freshNumber();
      const laterTtl = await instance.reserve(later);

      await vi.waitFor(async () => expect(await instance.releasedAt(later)).not.toBeNull(), { timeout: 15_000, interval: 100 });
      const lateMs = await lateness(instance, later, laterTtl);
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThanOrEqual(2000);
      expect(await instance.metric('numbering_reservation_expiries_total', { path: 'timer' })).toBe(1);
    });
  });
});
