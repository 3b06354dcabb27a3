import { Redis } from 'ioredis';
import { createMemoryCache } from '@sms/cache';
import { loadConfig } from '@sms/config';
import type { Database } from '@sms/db';
import { createHttpApp, createMetricsRegistry } from '@sms/http';
import type { HttpApp, ReadinessCheck, ShutdownStep } from '@sms/http';
import { ManualClock, uuidv7Generator } from '@sms/kernel';
import type { Clock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { runtimeEnv } from '@sms/runtime';
import type { Infrastructure, ServiceContext } from '@sms/runtime';
import { testServices, uniqueName } from '@sms/testing';
import { InMemoryLeaseCache, InMemoryOperatorKeyring } from '../../src/index.js';
import type { OperatorKeyring, RegulatorExportSigner } from '../../src/index.js';
import type { ObjectStore } from '@sms/object-store';
import { numberingEnv } from '../../src/adapters/config/numbering-env.js';
import { RedisLeaseCache } from '../../src/adapters/redis/redis-lease.cache.js';
import type { ManagedLeaseCache, NumberingRuntime } from '../../src/composition/start-numbering.js';
import { createNumberingService } from '../../src/service.js';
import { createNatsFixture } from './nats-fixture.js';
import type { NatsFixture } from './nats-fixture.js';
import { createPostgresFixture } from './postgres-numbering.js';
import type { PostgresFixture } from './postgres-numbering.js';
import { createTestAuth } from './test-auth.js';
import type { TestAuth } from './test-auth.js';

export const T0 = new Date('2026-05-01T10:00:00.000Z');

/**
 * numbering-service started through its ServiceDefinition as the runtime starts it, on this machine's
 * PostgreSQL (schema `numbering` in a fresh database) and NATS JetStream, with a lease cache in memory or
 * on Redis (its own key prefix, or a given cache), a test signing key, and the gRPC API on a free port.
 */
export interface NumberingServiceFixture {
  readonly app: HttpApp;
  readonly runtime: NumberingRuntime;
  readonly auth: TestAuth;
  readonly pg: PostgresFixture;
  readonly nats: NatsFixture;
  readonly readiness: ReadinessCheck[];
  readonly clock: Clock;
  cleanup(): Promise<void>;
}

export async function startNumberingServiceFixture(
  label: string,
  options: {
    readonly cache?: 'memory' | 'redis' | ManagedLeaseCache;
    readonly clock?: Clock;
    readonly keyring?: OperatorKeyring;
    /** The regulator export's object store and signer (tests make both); without them an export fails. */
    readonly objectStore?: ObjectStore;
    readonly exportSigner?: RegulatorExportSigner;
    /** NUMBERING_* variables to set (the rest at their defaults). */
    readonly env?: Readonly<Record<string, string>>;
  } = {},
): Promise<NumberingServiceFixture> {
  const clock = options.clock ?? new ManualClock(T0);
  const pg = await createPostgresFixture(label);
  await pg.schema({ name: 'numbering', clock });
  const nats = await createNatsFixture(label);
  const auth = await createTestAuth();
  const redisPrefix = `${uniqueName(label)}:`;
  const leaseCache: ManagedLeaseCache =
    typeof options.cache === 'object'
      ? options.cache
      : options.cache === 'redis'
        ? new RedisLeaseCache({ url: testServices.redisUrl, keyPrefix: redisPrefix, ttlMs: 60_000 })
        : new InMemoryLeaseCache(clock);
  const logger = createLogger({ service: 'numbering-service', level: 'silent' });
  const registry = createMetricsRegistry('numbering-service');
  const database = pg.database as unknown as Database<unknown>;
  const readiness: ReadinessCheck[] = [{ name: 'postgres', check: () => database.ping() }];
  const app = await createHttpApp({ service: 'numbering-service', version: 'test', logger, readiness, registry });
  const infra: Infrastructure = {
    mode: 'production',
    adapters: { database: 'postgres', bus: 'nats-jetstream', cache: 'redis', secrets: 'vault', objects: 'local-folder' },
    databaseUrl: pg.fresh.url,
    bus: nats.bus,
    cache: (prefix) => createMemoryCache({ keyPrefix: prefix }),
    secretStore: () => {
      throw new Error('numbering-service uses no secret store');
    },
    get objectStore(): never {
      throw new Error('numbering-service uses no object store');
    },
    close: () => Promise.resolve(),
  };
  let runtime: NumberingRuntime | undefined;
  const definition = createNumberingService({
    subjectPrefix: nats.subjectPrefix,
    env: loadConfig(numberingEnv, { ...options.env }),
    verifier: auth.verifier,
    leaseCache,
    keyring: options.keyring ?? new InMemoryOperatorKeyring(),
    ...(options.objectStore === undefined ? {} : { objectStore: options.objectStore }),
    ...(options.exportSigner === undefined ? {} : { exportSigner: options.exportSigner }),
    grpc: { host: '127.0.0.1', port: 0 },
    relayPollIntervalMs: 100,
    onStarted: (started) => {
      runtime = started;
    },
  });
  const context: ServiceContext = {
    app,
    env: loadConfig(runtimeEnv, {}),
    infra,
    database,
    roles: pg.roles,
    logger,
    metrics: registry,
    clock,
    ids: uuidv7Generator,
    verifier: auth.verifier,
  };
  const started = await definition.start(context);
  readiness.push(...(started.readiness ?? []));
  await app.ready();
  if (runtime === undefined) throw new Error('numbering-service did not report its start');
  const closers: readonly ShutdownStep[] = started.closers ?? [];
  return {
    app,
    runtime,
    auth,
    pg,
    nats,
    readiness,
    clock,
    async cleanup() {
      await app.close();
      for (const step of closers) await step.close().catch(() => undefined);
      if (options.cache === 'redis') {
        const redis = new Redis(testServices.redisUrl);
        const keys = await redis.keys(`${redisPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
      await nats.cleanup();
      await auth.cleanup();
      await pg.close();
    },
  };
}
