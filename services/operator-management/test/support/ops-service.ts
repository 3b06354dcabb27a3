import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, createDevSigner, createJwtVerifier, type DevSigner } from '@sms/auth';
import { connectNatsBus, type Bus, type DeliveredMessage, type Subscription } from '@sms/bus';
import { createMemoryCache } from '@sms/cache';
import { loadConfig } from '@sms/config';
import { createHttpApp, createMetricsRegistry, type HttpApp, type ReadinessCheck, type ShutdownStep } from '@sms/http';
import { systemClock, uuidv7Generator, type Clock, type EventEnvelope } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { createLocalObjectStore } from '@sms/object-store';
import { runtimeEnv, type Infrastructure, type ServiceContext } from '@sms/runtime';
import { createLocalSecretStore, localSecretStoreTableSql, type SecretStore } from '@sms/secrets';
import { testServices, uniqueName } from '@sms/testing';
import type { OpsConfig } from '../../src/adapters/config/ops-config.js';
import { createOperatorManagementService, type OperatorManagementHandle } from '../../src/service.js';
import { createOpsTestDatabase, type OpsTestDatabase } from './ops-database.js';

/** The configuration the tests run with unless they say otherwise (no mTLS, dev tokens). */
export const TEST_CONFIG: OpsConfig = {
  mtls: null,
  credentialReaders: ['smpp-gateway'],
  healthReporters: ['smpp-gateway'],
  healthLog: { retentionDays: 30, premakeDays: 2 },
  healthSweepIntervalMs: 30_000,
  partitionMaintenanceIntervalMs: 3_600_000,
  idempotencyPurgeIntervalMs: 3_600_000,
};

/** The whole service against the real PostgreSQL and NATS of this machine, for one test file. */
export interface OpsServiceFixture {
  readonly app: HttpApp;
  readonly db: OpsTestDatabase;
  readonly bus: Bus;
  readonly subjectPrefix: string;
  readonly handle: OperatorManagementHandle;
  readonly secretStore: SecretStore;
  readonly signer: DevSigner;
  /** Bearer tokens: an administrator, a reader without roles, the SMPP gateway's and the routing engine's service identities. */
  readonly tokens: { readonly admin: string; readonly reader: string; readonly gateway: string; readonly routingEngine: string };
  /** Every message the bus delivered under the service's subjects, in arrival order. */
  readonly delivered: DeliveredMessage[];
  /** Event envelopes the bus delivered (health reports excluded). */
  events(): EventEnvelope[];
  /** Publishes every outbox row now instead of waiting for the relay's wake-up. */
  flushOutbox(): Promise<void>;
  readiness: ReadinessCheck[];
  stop(): Promise<void>;
}

export interface OpsServiceOptions {
  readonly label: string;
  /** Default: the local envelope-encrypted store in the test database (base path `ops`). */
  readonly secretStore?: SecretStore;
  readonly config?: Partial<OpsConfig>;
  readonly mtlsHost?: string;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
export { auth };

export async function startOpsService(options: OpsServiceOptions): Promise<OpsServiceFixture> {
  const db = await createOpsTestDatabase(options.label);
  const subjectPrefix = `${uniqueName(options.label)}.`;
  const stream = uniqueName(`${options.label}_ops`);
  const deadLetterStream = uniqueName(`${options.label}_dlq`);
  const bus = await connectNatsBus({
    servers: testServices.natsUrl,
    connectionName: options.label,
    streams: [{ name: stream, subjects: [`${subjectPrefix}ops.>`] }],
    deadLetter: { stream: deadLetterStream, subjectPrefix: `${subjectPrefix}dlq` },
  });

  let secretStore = options.secretStore;
  if (secretStore === undefined) {
    await sql.raw(`CREATE SCHEMA IF NOT EXISTS platform_secrets; ${localSecretStoreTableSql('platform_secrets')}`).execute(db.database.db);
    secretStore = createLocalSecretStore({ db: db.database.db, schema: 'platform_secrets', basePath: 'ops', masterKey: randomBytes(32) });
  }
  const store = secretStore;

  const keyDir = await mkdtemp(join(tmpdir(), 'ops-dev-key-'));
  const objectsDir = await mkdtemp(join(tmpdir(), 'ops-objects-'));
  const signer = await createDevSigner({ keyDir });
  const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
  const tokens = {
    admin: await signer.mint({ subject: 'alice', roles: ['ops-admin'] }),
    reader: await signer.mint({ subject: 'bob', roles: [] }),
    gateway: await signer.mint({ subject: 'svc-smpp-gateway', serviceName: 'smpp-gateway' }),
    routingEngine: await signer.mint({ subject: 'svc-routing-engine', serviceName: 'routing-engine' }),
  };

  const logger = createLogger({ service: 'operator-management', level: 'silent' });
  const registry = createMetricsRegistry('operator-management');
  const readiness: ReadinessCheck[] = [{ name: 'postgres', check: () => db.database.ping() }];
  const app = await createHttpApp({ service: 'operator-management', version: 'test', logger, readiness, registry });
  const infra: Infrastructure = {
    mode: 'production',
    adapters: { database: 'postgres', bus: 'nats-jetstream', cache: 'memory', secrets: 'vault', objects: 'local-folder' },
    databaseUrl: db.fresh.url,
    bus,
    cache: (prefix) => createMemoryCache({ keyPrefix: prefix }),
    secretStore: () => store,
    objectStore: createLocalObjectStore({ rootDir: objectsDir }),
    close: () => Promise.resolve(),
  };
  const env = loadConfig(runtimeEnv, { DATA_DIR: keyDir });

  let handle: OperatorManagementHandle | undefined;
  const definition = createOperatorManagementService({
    subjectPrefix,
    config: { ...TEST_CONFIG, ...options.config },
    secretStore: store,
    runJobs: false,
    ...(options.mtlsHost ? { mtlsHost: options.mtlsHost } : {}),
    onStarted: (h) => {
      handle = h;
    },
  });
  const context: ServiceContext = {
    app,
    env,
    infra,
    database: db.database,
    roles: db.roles,
    logger,
    metrics: registry,
    clock: options.clock ?? systemClock,
    ids: uuidv7Generator,
    verifier,
  };

  const delivered: DeliveredMessage[] = [];
  const collector: Subscription = await bus.subscribe({ durable: uniqueName('collector'), subjects: [`${subjectPrefix}ops.>`] }, (message) => {
    delivered.push(message);
    return Promise.resolve();
  });

  const started = await definition.start(context);
  readiness.push(...(started.readiness ?? []));
  await app.ready();
  if (handle === undefined) throw new Error('the service did not report its start');
  const started_ = handle;
  const closers: readonly ShutdownStep[] = started.closers ?? [];
  const decoder = new TextDecoder();

  return {
    app,
    db,
    bus,
    subjectPrefix,
    handle: started_,
    secretStore: store,
    signer,
    tokens,
    delivered,
    readiness,
    events: () =>
      delivered
        .filter((m) => !m.subject.endsWith('ops.health.report'))
        .map((m) => JSON.parse(decoder.decode(m.payload)) as EventEnvelope),
    async flushOutbox() {
      while ((await started_.relay.runOnce()) > 0) {
        // until drained
      }
    },
    async stop() {
      await app.close();
      for (const step of closers) await step.close();
      await collector.stop();
      await bus.close();
      const nc = await connect({ servers: testServices.natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.delete(stream).catch(() => false);
        await jsm.streams.delete(deadLetterStream).catch(() => false);
      } finally {
        await nc.close();
      }
      await db.cleanup();
      await rm(keyDir, { recursive: true, force: true });
      await rm(objectsDir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` stops throwing, or rethrows its last error after `timeoutMs`. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
