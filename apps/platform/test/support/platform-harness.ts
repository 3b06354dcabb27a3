import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { createDevSigner, devKeyDir } from '@sms/auth';
import type { DevSigner } from '@sms/auth';
import { serviceRoles } from '@sms/db';
import { createFreshDatabase, deleteStreams, freePortRange, testServices, uniqueName, withAdmin } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import type { SmscSimulator } from '../../../../services/smpp-gateway/src/index.js';
import { startPlatform } from '../../src/platform.js';
import type { Platform } from '../../src/platform.js';
import { DEMO_TOPOLOGY } from '../../src/topology.js';
import type { PlatformTopology } from '../../src/topology.js';

/** The streams the platform's services declare, plus the runtime's dead-letter stream (names without the run's prefix). */
const PLATFORM_STREAMS = ['CONFIG', 'TENANT', 'OPS', 'NUMBERING', 'SMS', 'DLQ'];
/** PostgreSQL schemas of the services; each has an `_app` and a `_system` role. */
const SERVICE_SCHEMAS = ['config', 'ops', 'numbering', 'routing', 'orch', 'smpp'];
const SERVICE_COUNT = 6;
/** config-service's Redis resolution cache (its key prefix is fixed in its service definition). */
const RESOLUTION_PREFIX = 'config:{resolution}:';
const RESOLUTION_EPOCH_KEY = `${RESOLUTION_PREFIX}epoch`;
/** Advisory lock (in the server's admin database) serialising the harnesses' starts and role drops. */
const ROLES_LOCK = 'sms.platform-harness.roles';

export interface PlatformHarnessOptions {
  /** Names this run's database, streams and folder. */
  readonly label?: string;
  /**
   * Changes the topology before the seed: other simulator behaviour, fewer operators, other limits.
   * It receives the demo topology with this run's own tenant id and short code.
   */
  readonly topology?: (base: PlatformTopology) => PlatformTopology;
  /** More variables for the services (e.g. `ORCH_RETRY_BASE_DELAY_MS`, `SMPP_HEALTH_REPORT_INTERVAL_MS`). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface TokenRequest {
  /** Default: the run's tenant. Null: a token without tenant (staff, services). */
  readonly tenantId?: string | null;
  /** Default `['tenant']`. */
  readonly roles?: readonly string[];
  /** A service identity (`svc` claim). */
  readonly service?: string;
}

export interface JsonAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** The statuses a message ends in (sms-orchestrator docs/api.md). */
export const FINAL_STATUSES: readonly string[] = ['delivered', 'undelivered', 'failed', 'expired', 'rejected'];

/** One item of a `POST /v1/sms/bulk` answer. */
export interface BulkItem {
  readonly index: number;
  readonly to: string;
  readonly status: 'accepted' | 'rejected';
  readonly message_id?: string;
  readonly segments?: number;
  readonly [member: string]: unknown;
}

/** A message as `GET /v1/sms/{id}` answers it. */
export interface MessageView {
  readonly message_id: string;
  readonly status: string;
  readonly to: string;
  readonly from: string;
  readonly segments: number;
  readonly history: ReadonlyArray<{ readonly status: string; readonly at: string; readonly error_code: string | null; readonly reason: string | null }>;
  readonly [member: string]: unknown;
}

export interface PlatformHarness {
  /** The running platform (a new one after {@link PlatformHarness.restart}). */
  readonly platform: Platform;
  readonly topology: PlatformTopology;
  /** This run's tenant (a unique id, so parallel runs share no Redis keys) and its leased short code. */
  readonly tenantId: string;
  readonly shortCode: string;
  /** This run's database (an administrator's URL: reads every service's schema, row-level security aside). */
  readonly databaseUrl: string;
  readonly urls: {
    readonly orchestrator: string;
    readonly operatorManagement: string;
    readonly numbering: string;
    readonly config: string;
    readonly routingEngine: string;
    readonly smppGateway: string;
  };
  /** The operators' SMSC simulators by operator code: knobs with `configure({ latencyMs, throughputPerSecond, errorRate, errorStatus, receiptOutcome, receiptDelayMs, answerEnquireLinks })`, `dropConnections()`, and what they received (`submissions`, `accepted`, `waitForAccepted`, `stats`). */
  readonly simulators: ReadonlyMap<string, SmscSimulator>;
  simulator(operatorCode: string): SmscSimulator;
  /** The operator id operator-management gave an operator of the topology. */
  operatorId(operatorCode: string): string;
  /** A bearer token signed with this run's embedded dev key. */
  token(request?: TokenRequest): Promise<string>;
  /** `POST /v1/sms/send` as the run's tenant. */
  send(body: Record<string, unknown>, headers?: Record<string, string>): Promise<JsonAnswer>;
  /** `POST /v1/sms/bulk` as the run's tenant. */
  bulk(body: Record<string, unknown>, headers?: Record<string, string>): Promise<JsonAnswer<{ accepted_count?: number; rejected_count?: number; items?: BulkItem[] }>>;
  /** `GET /v1/sms/{id}` as the run's tenant. */
  message(id: string): Promise<JsonAnswer<MessageView>>;
  /**
   * Polls every message (a few at a time) until each has one of `statuses`; resolves with the last
   * view of each by id, or fails naming how many are still elsewhere after `timeoutMs`.
   */
  waitForAllStatuses(ids: readonly string[], statuses: readonly string[], timeoutMs?: number): Promise<Map<string, MessageView>>;
  /** The operator id routing-engine answers for a destination now (null when it answers no route). */
  routeOf(destination: string): Promise<string | null>;
  /** operator-management's current health state of an operator (`up`, `degraded`, `down`, `unknown`). */
  healthOf(operatorCode: string): Promise<string>;
  /** Polls the message until its status is one of `statuses`; fails with the last view after `timeoutMs`. */
  waitForStatus(id: string, statuses: readonly string[], timeoutMs?: number): Promise<MessageView>;
  /** Waits until routing-engine routes a destination of every operator to it (health reached it). */
  waitForRoutes(timeoutMs?: number): Promise<void>;
  /** Stops the platform and starts it again on the same database, streams, folder and ports (the simulators are new). */
  restart(): Promise<void>;
  /** Stops the platform and removes everything the run created. */
  stop(): Promise<void>;
}

/**
 * The whole platform in this process (`startPlatform`, as `npm start` runs it) against the real
 * PostgreSQL (a fresh database), Redis and NATS JetStream (a stream prefix and a subject namespace of
 * its own), with the demo seed on simulators this process controls.
 */
export async function startPlatformHarness(options: PlatformHarnessOptions = {}): Promise<PlatformHarness> {
  const label = options.label ?? 'platform';
  const runName = uniqueName(label);
  const streamPrefix = `${runName}_`;
  const base: PlatformTopology = {
    ...DEMO_TOPOLOGY,
    tenant: { ...DEMO_TOPOLOGY.tenant, id: uniqueName('demo') },
    // Six digits, not 4455: numbering's lease cache in the shared Redis is keyed by the sender.
    shortCode: { ...DEMO_TOPOLOGY.shortCode, value: String(randomInt(100_000, 1_000_000)) },
  };
  const topology = options.topology ? options.topology(base) : base;
  const tenantId = topology.tenant.id;
  const shortCode = topology.shortCode.value;

  const fresh: FreshDatabase = await createFreshDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), `${label}-`));
  const roles = SERVICE_SCHEMAS.flatMap((schema) => Object.values(serviceRoles(schema)));
  let rolesCreatedHere: string[] = [];
  const epochCreatedHere = !(await withRedis((redis) => redis.exists(RESOLUTION_EPOCH_KEY)));

  const cleanup = async (platform: Platform | null): Promise<void> => {
    await platform?.stop('test cleanup');
    await deleteStreams(PLATFORM_STREAMS.map((name) => `${streamPrefix}${name}`));
    await fresh.drop();
    await withRolesLock(async (client) => {
      for (const role of rolesCreatedHere) {
        // A run started meanwhile may hold privileges through the role in its own database; it drops it then.
        await client.query(`DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
      }
    });
    await withRedis((redis) => forgetRun(redis, tenantId, shortCode, epochCreatedHere));
    await rm(dataDir, { recursive: true, force: true });
  };

  let current: Platform;
  let env: NodeJS.ProcessEnv;
  try {
    // The services, numbering's gRPC port, then one simulator per operator: fixed for the run, so a restart keeps them.
    const basePort = await freePortRange(SERVICE_COUNT + 1 + topology.operators.length);
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: fresh.url,
      REDIS_URL: testServices.redisUrl,
      NATS_URL: testServices.natsUrl,
      NATS_STREAM_PREFIX: streamPrefix,
      NATS_SUBJECT_PREFIX: runName,
      MIGRATE_ON_START: 'true',
      BASE_PORT: String(basePort),
      NUMBERING_GRPC_PORT: String(basePort + SERVICE_COUNT),
      NUMBERING_GRPC_HOST: '127.0.0.1',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
      DATA_DIR: dataDir,
      PLATFORM_SEED: 'demo',
      PLATFORM_SIMULATOR_BASE_PORT: String(basePort + SERVICE_COUNT + 1),
      ...options.env,
    };
    current = await withRolesLock(async (client) => {
      const existing = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])', [roles]);
      rolesCreatedHere = roles.filter((role) => !existing.rows.some((row) => row.rolname === role));
      return start(topology, env);
    });
  } catch (error) {
    await cleanup(null);
    throw error;
  }
  const signer: Promise<DevSigner> = createDevSigner({ keyDir: devKeyDir(dataDir) });
  const url = (name: string): string => {
    const found = current.urls.get(name);
    if (found === undefined) throw new Error(`the platform runs no ${name}`);
    return found;
  };
  const urls = {
    orchestrator: url('sms-orchestrator'),
    operatorManagement: url('operator-management'),
    numbering: url('numbering-service'),
    config: url('config-service'),
    routingEngine: url('routing-engine'),
    smppGateway: url('smpp-gateway'),
  };
  const seeded = current.seed;
  if (seeded === null) throw new Error('the platform did not seed the topology');

  const token = async (request: TokenRequest = {}): Promise<string> => {
    const tenant = request.tenantId === undefined ? tenantId : request.tenantId;
    return (await signer).mint({
      subject: request.service ? `service:${request.service}` : `user:${tenant ?? 'staff'}`,
      roles: request.roles ?? ['tenant'],
      ...(tenant === null ? {} : { tenantId: tenant }),
      ...(request.service ? { serviceName: request.service } : {}),
    });
  };
  // One tenant token for the run: minting (signing) one per request costs the platform's CPU in bulk waits.
  let tenantToken: Promise<string> | undefined;
  const tenantHeaders = async (): Promise<Record<string, string>> => ({ authorization: `Bearer ${await (tenantToken ??= token())}`, 'x-tenant-id': tenantId });

  const message = async (id: string): Promise<JsonAnswer<MessageView>> => {
    const response = await fetch(`${urls.orchestrator}/v1/sms/${encodeURIComponent(id)}`, { headers: await tenantHeaders() });
    return { status: response.status, headers: response.headers, body: (await response.json()) as MessageView };
  };

  return {
    get platform() {
      return current;
    },
    topology,
    tenantId,
    shortCode,
    databaseUrl: fresh.url,
    urls,
    get simulators() {
      return current.simulators;
    },
    simulator(operatorCode) {
      const found = current.simulators.get(operatorCode);
      if (found === undefined) throw new Error(`no simulator for operator ${operatorCode}`);
      return found;
    },
    operatorId(operatorCode) {
      const found = seeded.operators.find((o) => o.code === operatorCode);
      if (found === undefined) throw new Error(`operator ${operatorCode} is not in the topology`);
      return found.operatorId;
    },
    token,
    async send(body, headers = {}) {
      const response = await fetch(`${urls.orchestrator}/v1/sms/send`, {
        method: 'POST',
        headers: { ...(await tenantHeaders()), 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    },
    async bulk(body, headers = {}) {
      const response = await fetch(`${urls.orchestrator}/v1/sms/bulk`, {
        method: 'POST',
        headers: { ...(await tenantHeaders()), 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as { items?: BulkItem[] } };
    },
    message,
    async waitForAllStatuses(ids, statuses, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      const done = new Map<string, MessageView>();
      const open = [...new Set(ids)];
      // In order, eight at a time, waiting on a group until it is done: messages finish roughly in the
      // order they were sent, so each is read about once instead of once per round.
      for (let start = 0; start < open.length; start += 8) {
        let group = open.slice(start, start + 8);
        for (;;) {
          const views = await Promise.all(group.map((id) => message(id)));
          group = group.filter((id, index) => {
            const view = views[index];
            if (view !== undefined && view.status === 200 && statuses.includes(view.body.status)) {
              done.set(id, view.body);
              return false;
            }
            return true;
          });
          if (group.length === 0) break;
          if (Date.now() > deadline) {
            const left = open.length - done.size;
            const sample = await message(group[0] ?? '');
            throw new Error(`${left} of ${open.length} messages did not reach ${statuses.join(' or ')} within ${timeoutMs} ms; e.g. ${JSON.stringify(sample.body)}`);
          }
          await sleep(250);
        }
      }
      return done;
    },
    async routeOf(destination) {
      const serviceToken = await token({ tenantId: null, roles: ['service'], service: 'sms-orchestrator' });
      const response = await fetch(`${urls.routingEngine}/v1/routes/resolve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tenant_id: tenantId, destination, sender: { kind: 'short_code', value: shortCode } }),
      });
      const body = (await response.json()) as { operator_id?: string };
      return response.status === 200 && typeof body.operator_id === 'string' ? body.operator_id : null;
    },
    async healthOf(operatorCode) {
      const staff = await token({ tenantId: null, roles: ['ops-admin'] });
      const id = encodeURIComponent(seeded.operators.find((o) => o.code === operatorCode)?.operatorId ?? operatorCode);
      const response = await fetch(`${urls.operatorManagement}/v1/operators/${id}/health`, { headers: { authorization: `Bearer ${staff}` } });
      const body = (await response.json()) as { state?: string };
      if (response.status !== 200 || typeof body.state !== 'string') throw new Error(`operator-management answered ${response.status} for the health of ${operatorCode}: ${JSON.stringify(body)}`);
      return body.state;
    },
    async waitForStatus(id, statuses, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: JsonAnswer<MessageView> | undefined;
      while (Date.now() < deadline) {
        last = await message(id);
        if (last.status === 200 && statuses.includes(last.body.status)) return last.body;
        await sleep(100);
      }
      throw new Error(`message ${id} did not reach ${statuses.join(' or ')} within ${timeoutMs} ms; last answer ${last?.status}: ${JSON.stringify(last?.body)}`);
    },
    async waitForRoutes(timeoutMs = 30_000) {
      const serviceToken = await token({ tenantId: null, roles: ['service'], service: 'sms-orchestrator' });
      const deadline = Date.now() + timeoutMs;
      for (const operator of topology.operators) {
        const destination = `+${operator.prefixes[0] ?? ''}1234567`;
        for (;;) {
          const response = await fetch(`${urls.routingEngine}/v1/routes/resolve`, {
            method: 'POST',
            headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ tenant_id: tenantId, destination, sender: { kind: 'short_code', value: shortCode } }),
          });
          const body = (await response.json()) as { operator_id?: string };
          if (response.status === 200 && body.operator_id === seeded.operators.find((o) => o.code === operator.code)?.operatorId) break;
          if (Date.now() > deadline) throw new Error(`routing-engine does not route ${destination} to ${operator.code} after ${timeoutMs} ms: ${response.status} ${JSON.stringify(body)}`);
          await sleep(100);
        }
      }
    },
    async restart() {
      await current.stop('test restart');
      current = await withRolesLock(() => start(topology, env));
    },
    stop: () => cleanup(current),
  };
}

const start = (topology: PlatformTopology, env: NodeJS.ProcessEnv): Promise<Platform> =>
  startPlatform({ topology, env, handleSignals: false, announce: () => undefined });

/**
 * Runs `use` while holding a lock shared by every harness on the PostgreSQL server. The services
 * create their roles (cluster-wide objects) at start under an advisory lock of their own database,
 * which does not keep two runs in two databases apart: two platforms starting at once would both
 * find a role missing and one CREATE ROLE would fail. Starts and role drops take this lock instead.
 */
async function withRolesLock<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  return withAdmin(async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [ROLES_LOCK]);
    try {
      return await use(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [ROLES_LOCK]).catch(() => undefined);
    }
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(testServices.redisUrl);
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * Removes what the services wrote in the shared Redis for this run: keys naming its tenant (rate
 * buckets, idempotency, resolution entries), numbering's lease-cache entry of its short code, the
 * tenant's references in the resolution cache's path index, and the cache's invalidation counter
 * when no one else had one.
 */
async function forgetRun(redis: Redis, tenantId: string, shortCode: string, dropEpoch: boolean): Promise<void> {
  const keys = [...(await redis.keys(`*${tenantId}*`)), `numbering:lease:${shortCode}`];
  await redis.del(...keys);
  for (const index of await redis.keys(`${RESOLUTION_PREFIX}i:*`)) await redis.srem(index, `tenant:${tenantId}`);
  if (dropEpoch) await redis.del(RESOLUTION_EPOCH_KEY);
}
