import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import type { DevSigner } from '@sms/auth';
import type { Bus } from '@sms/bus';
import type { Cache } from '@sms/cache';
import { createRedisCache } from '@sms/cache';
import { loadConfig } from '@sms/config';
import type { Database } from '@sms/db';
import { createHttpApp, createMetricsRegistry } from '@sms/http';
import type { HttpApp, ReadinessCheck } from '@sms/http';
import { systemClock } from '@sms/kernel';
import type { Clock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { createLocalObjectStore } from '@sms/object-store';
import type { ObjectStore } from '@sms/object-store';
import { runtimeEnv } from '@sms/runtime';
import type { Infrastructure, ServiceContext } from '@sms/runtime';
import { natsBusFixture, testServices, uniqueName } from '@sms/testing';
import type { Registry } from 'prom-client';
import { clockUuidv7 } from '../../src/adapters/postgres/message-id-time.js';
import type { Orchestrator } from '../../src/orchestrator.js';
import { orchestratorEnv } from '../../src/orchestrator-env.js';
import { registerOrchestratorRoutes, startSmsOrchestrator } from '../../src/start-orchestrator.js';
import type { StartOverrides } from '../../src/start-orchestrator.js';
import { createOrchTestDatabase } from './orch-database.js';
import type { OrchTestDatabase } from './orch-database.js';

export interface FixtureOptions {
  readonly label: string;
  /** Orchestrator environment variables (strings, as in a process environment). */
  readonly env?: Record<string, string>;
  /** Redis of the idempotency fast path; default the shared server. */
  readonly redisUrl?: string;
  readonly clock?: Clock;
  readonly overrides?: Omit<StartOverrides, 'subjectPrefix'>;
  /** An existing database (several fixtures on one database); a fresh one otherwise. */
  readonly database?: OrchTestDatabase;
  /** Log level of the service; default debug (every line is kept in `logLines`). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent';
  /** Keep the log lines in memory (default true; the benchmark discards them). */
  readonly captureLogs?: boolean;
}

export interface OrchestratorFixture {
  readonly app: HttpApp;
  readonly orchestrator: Orchestrator;
  readonly database: OrchTestDatabase;
  readonly bus: Bus;
  readonly subjectPrefix: string;
  readonly signer: DevSigner;
  readonly registry: Registry;
  readonly objectStore: ObjectStore;
  readonly readiness: ReadinessCheck[];
  /** Every log line the service wrote (JSON), at debug level and above. */
  readonly logLines: string[];
  /** A valid bearer token of `tenantId`. */
  tokenFor(tenantId: string): Promise<string>;
  /** Authorization and X-Tenant-Id headers of `tenantId`. */
  headersFor(tenantId: string, extra?: Record<string, string>): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The orchestrator as `service.ts` starts it (same `startSmsOrchestrator`, routes, verifier from
 * `JWT_PUBLIC_KEY`), on real PostgreSQL (a fresh database), NATS JetStream (a unique stream and
 * subject prefix) and Redis (a unique key prefix), with an HTTP app driven through `inject`.
 */
export async function startOrchestratorFixture(options: FixtureOptions): Promise<OrchestratorFixture> {
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'orch-fixture-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const signer = await createDevSigner({ keyDir: join(dataDir, 'auth') });

    const database = options.database ?? (await createOrchTestDatabase(options.label));
    if (options.database === undefined) cleanups.push(() => database.cleanup());

    const nats = await natsBusFixture(options.label);
    cleanups.push(() => nats.cleanup());
    const { bus, subjectPrefix } = nats;

    const redisUrl = options.redisUrl ?? testServices.redisUrl;
    const keyPrefix = `${uniqueName(options.label)}:`;
    const caches: Cache[] = [];
    cleanups.push(async () => {
      await Promise.all(caches.map((c) => c.close()));
      await deleteKeys(redisUrl, keyPrefix).catch(() => undefined);
    });

    const objectStore = createLocalObjectStore({ rootDir: join(dataDir, 'objects') });
    const logLines: string[] = [];
    const capture = options.captureLogs ?? true;
    const logger = createLogger({
      service: 'sms-orchestrator',
      level: options.logLevel ?? 'debug',
      destination: { write: (line: string) => void (capture ? logLines.push(line) : undefined) },
    });
    const registry = createMetricsRegistry('sms-orchestrator');
    const readiness: ReadinessCheck[] = [];
    const app = await createHttpApp({ service: 'sms-orchestrator', version: 'test', logger, readiness, registry });
    cleanups.push(() => app.close());

    const env = loadConfig(orchestratorEnv, {
      NODE_ENV: 'test',
      SUBMIT_API_ENABLED: 'true',
      ORCH_PIPELINE_CONCURRENCY: '4',
      ORCH_RETRY_SWEEP_INTERVAL_MS: '200',
      ...options.env,
    });
    const runtime = loadConfig(runtimeEnv, {
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      REDIS_URL: redisUrl,
      JWT_PUBLIC_KEY: signer.publicKeyPem,
      JWT_ISSUER: EMBEDDED_ISSUER,
      JWT_AUDIENCE: EMBEDDED_AUDIENCE,
    });
    const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
    const clock = options.clock ?? systemClock;
    const infra: Infrastructure = {
      mode: 'production',
      adapters: { database: 'postgres', bus: 'nats-jetstream', cache: 'redis', secrets: 'local-encrypted', objects: 'local-folder' },
      databaseUrl: database.url,
      bus,
      cache: (prefix) => {
        const cache = createRedisCache({ url: redisUrl, keyPrefix: `${keyPrefix}${prefix}`, commandTimeoutMs: 500 });
        caches.push(cache);
        return cache;
      },
      secretStore: () => {
        throw new Error('the orchestrator has no secrets');
      },
      objectStore,
      close: () => Promise.resolve(),
    };
    const context: ServiceContext = {
      app,
      env: runtime,
      infra,
      database: database.database as unknown as Database<unknown>,
      roles: database.roles,
      logger,
      metrics: registry,
      clock,
      ids: clockUuidv7(clock),
      verifier,
    };

    registerOrchestratorRoutes(app);
    const started = await startSmsOrchestrator(context, env, { subjectPrefix, redisKeyPrefix: keyPrefix, ...options.overrides });
    cleanups.push(async () => {
      for (const closer of started.closers ?? []) await closer.close();
    });
    readiness.push(...(started.readiness ?? []));
    await app.ready();

    const tokenFor = (tenantId: string) => signer.mint({ subject: `user-of-${tenantId}`, tenantId, roles: ['sms:send'] });
    return {
      app,
      orchestrator: started.orchestrator,
      database,
      bus,
      subjectPrefix,
      signer,
      registry,
      objectStore,
      readiness,
      logLines,
      tokenFor,
      async headersFor(tenantId, extra = {}) {
        return { authorization: `Bearer ${await tokenFor(tenantId)}`, 'x-tenant-id': tenantId, ...extra };
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
