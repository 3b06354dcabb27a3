import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Bus } from '@sms/bus';
import { connectNatsBus, createInProcessBus } from '@sms/bus';
import type { BusLogger, NatsStreamSpec } from '@sms/bus';
import type { Cache } from '@sms/cache';
import { createMemoryCache, createRedisCache } from '@sms/cache';
import { createDatabase, migrate, openEmbeddedDatabase } from '@sms/db';
import type { Logger } from '@sms/logging';
import type { ObjectStore } from '@sms/object-store';
import { createLocalObjectStore, createS3ObjectStore } from '@sms/object-store';
import type { SecretStore } from '@sms/secrets';
import { createLocalSecretStore, createVaultSecretStore, parseMasterKey } from '@sms/secrets';
import type { RuntimeEnv } from './runtime-env.js';

/** Which adapter serves each port: printed at start, shown by readiness. */
export interface AdapterChoice {
  readonly database: 'embedded-postgres' | 'postgres';
  readonly bus: 'in-process' | 'nats-jetstream';
  readonly cache: 'memory' | 'redis';
  readonly secrets: 'local-encrypted' | 'vault';
  readonly objects: 'local-folder' | 's3';
}

/**
 * The process-wide infrastructure: one database server, one bus, and factories for the per-service
 * cache, secret store and object store. Embedded when no infrastructure URL is set (ARCHITECTURE.md).
 */
export interface Infrastructure {
  readonly mode: 'embedded' | 'production';
  readonly adapters: AdapterChoice;
  /** URL of the platform database (each service uses its own schema in it). */
  readonly databaseUrl: string;
  readonly bus: Bus;
  /** A cache whose keys all start with `prefix` (e.g. `orch:`). */
  cache(prefix: string): Cache;
  /** A secret store confined to `basePath` (e.g. `ops/operators`). */
  secretStore(basePath: string): SecretStore;
  readonly objectStore: ObjectStore;
  /** Closes what this object opened, in reverse order. */
  close(): Promise<void>;
}

const SECRETS_SCHEMA = 'platform_secrets';
const secretsMigrations = resolve(import.meta.dirname, '..', 'migrations', 'secrets');

export interface InfrastructureOptions {
  readonly env: RuntimeEnv;
  readonly logger: Logger;
  /** Streams the services need; the bus creates them at connect. */
  readonly streams: readonly NatsStreamSpec[];
}

export async function createInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const { env, logger } = options;
  const closers: Array<() => Promise<void>> = [];
  const dataDir = resolve(env.DATA_DIR);
  try {
    let databaseUrl = env.DATABASE_URL;
    if (databaseUrl === undefined) {
      const embedded = await openEmbeddedDatabase({
        dataDir: await embeddedPostgresDir(dataDir, logger),
        port: env.EMBEDDED_PG_PORT,
        onLog: (line) => logger.debug({ component: 'embedded-postgres' }, line),
      });
      closers.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }

    const bus =
      env.NATS_URL === undefined
        ? createInProcessBus({ logger: busLogger(logger) })
        : await connectNatsBus({
            servers: env.NATS_URL,
            streams: options.streams.map((s) => ({ ...s, name: `${env.NATS_STREAM_PREFIX}${s.name}` })),
            connectionName: 'sms-platform',
            logger: busLogger(logger),
            ...(env.NATS_SUBJECT_PREFIX === undefined ? {} : { subjectNamespace: env.NATS_SUBJECT_PREFIX }),
            // With a prefix (tests, a shared development NATS) the dead-letter subjects are prefixed too:
            // JetStream refuses two streams whose subjects overlap.
            deadLetter: {
              stream: `${env.NATS_STREAM_PREFIX}DLQ`,
              ...(env.NATS_STREAM_PREFIX === '' ? {} : { subjectPrefix: `${env.NATS_STREAM_PREFIX}dlq` }),
            },
          });
    closers.push(() => bus.close());

    const caches: Cache[] = [];
    closers.push(async () => {
      await Promise.all(caches.map((c) => c.close()));
    });
    const cache = (prefix: string): Cache => {
      const created =
        env.REDIS_URL === undefined
          ? createMemoryCache({ keyPrefix: prefix })
          : createRedisCache({ url: env.REDIS_URL, keyPrefix: prefix });
      caches.push(created);
      return created;
    };

    const secretStore = await secretStoreFactory(env, databaseUrl, dataDir, closers);

    const objectStore =
      env.S3_ENDPOINT === undefined
        ? createLocalObjectStore({ rootDir: join(dataDir, 'objects') })
        : createS3ObjectStore({
            endpoint: env.S3_ENDPOINT,
            region: env.S3_REGION ?? 'us-east-1',
            bucket: env.S3_BUCKET ?? '',
            forcePathStyle: true,
          });

    const embedded = env.DATABASE_URL === undefined;
    return {
      mode: embedded ? 'embedded' : 'production',
      adapters: {
        database: embedded ? 'embedded-postgres' : 'postgres',
        bus: env.NATS_URL === undefined ? 'in-process' : 'nats-jetstream',
        cache: env.REDIS_URL === undefined ? 'memory' : 'redis',
        secrets: env.VAULT_ADDR === undefined ? 'local-encrypted' : 'vault',
        objects: env.S3_ENDPOINT === undefined ? 'local-folder' : 's3',
      },
      databaseUrl,
      bus,
      cache,
      secretStore,
      objectStore,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  for (const close of closers.splice(0).reverse()) {
    await close().catch(() => undefined);
  }
}

async function secretStoreFactory(
  env: RuntimeEnv,
  databaseUrl: string,
  dataDir: string,
  closers: Array<() => Promise<void>>,
): Promise<(basePath: string) => SecretStore> {
  if (env.VAULT_ADDR !== undefined) {
    const address = env.VAULT_ADDR;
    const token = env.VAULT_TOKEN ?? '';
    return (basePath) => createVaultSecretStore({ address, token, basePath });
  }
  const masterKey = parseMasterKey(env.SECRETS_MASTER_KEY ?? (await localMasterKey(dataDir)));
  const database = createDatabase({ url: databaseUrl, poolMax: 2, applicationName: 'platform-secrets' });
  closers.push(() => database.close());
  await migrate({ db: database.db, schema: SECRETS_SCHEMA, dir: secretsMigrations, direction: 'up' });
  return (basePath) => createLocalSecretStore({ db: database.db, schema: SECRETS_SCHEMA, basePath, masterKey });
}

/**
 * Where embedded PostgreSQL keeps its cluster: `<DATA_DIR>/postgres`. Run as root, the server runs as
 * the OS user `postgres`, which must be able to enter every folder above it; a checkout under a
 * private folder (`mktemp -d` makes mode 700) is not, so the cluster then goes to a folder of its own
 * under the system temporary directory, named after the data folder so restarts find it again.
 */
async function embeddedPostgresDir(dataDir: string, logger: Logger): Promise<string> {
  const preferred = join(dataDir, 'postgres');
  if (userInfo().uid !== 0) return preferred;
  await mkdir(dataDir, { recursive: true });
  for (let current = dataDir; ; current = dirname(current)) {
    const info = await stat(current);
    if ((info.mode & fsConstants.S_IXOTH) === 0) {
      const fallback = join(tmpdir(), `sms-platform-pg-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`);
      logger.warn({ preferred, fallback, blocked_by: current }, 'embedded PostgreSQL cannot use the data folder (not traversable by the postgres user); using the fallback');
      return fallback;
    }
    if (dirname(current) === current) return preferred;
  }
}

/**
 * Embedded mode's master key: read from `<DATA_DIR>/secrets-master.key`, created (0600) on first
 * start. It never enters the repository (`.data/` is ignored); production uses Vault instead.
 */
async function localMasterKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'secrets-master.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const key = randomBytes(32).toString('base64');
    // 'wx': if two processes start at once, the second keeps the first one's key.
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    await chmod(file, 0o600);
    return (await readFile(file, 'utf8')).trim();
  }
}

function busLogger(logger: Logger): BusLogger {
  return logger.child({ component: 'bus' });
}
