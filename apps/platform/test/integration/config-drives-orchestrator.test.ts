import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import { runServices } from '@sms/runtime';
import type { RunningPlatform, ServiceDefinition } from '@sms/runtime';
import { createFreshDatabase, deleteStreams, freePortRange, testServices, uniqueName, withAdmin } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { createSmsOrchestratorService } from '../../../../services/sms-orchestrator/src/service.js';
import { platformServices } from '../../src/services.js';

/**
 * config-service and sms-orchestrator run together as the platform runs them (runServices, real
 * PostgreSQL, Redis and NATS JetStream): the orchestrator reads each tenant's limits from
 * config-service through @sms/config-client, so a value set there changes what the submit API
 * accepts within seconds, without a restart.
 */
describe('per-tenant limits set in config-service, enforced by sms-orchestrator', () => {
  const streamPrefix = `${uniqueName('cfgorch')}_`;
  const streams = ['CONFIG', 'TENANT', 'SMS', 'DLQ'].map((name) => `${streamPrefix}${name}`);
  const serviceRoles = ['config_app', 'config_system', 'orch_app', 'orch_system'];
  const partsTenant = uniqueName('parts');
  const rateTenant = uniqueName('rate');
  let sign: (claims: { subject: string; roles: string[]; tenantId?: string; service?: string }) => Promise<string>;
  let fresh: FreshDatabase;
  let dataDir: string;
  let rolesCreatedHere: string[] = [];
  let epochCreatedHere = false;
  let platform: RunningPlatform | undefined;
  let configUrl: string;
  let orchestratorUrl: string;

  beforeAll(async () => {
    const keys = await generateKeyPair('ES256', { extractable: true });
    sign = ({ subject, roles, tenantId, service }) =>
      new SignJWT({ roles, ...(tenantId !== undefined ? { tenant_id: tenantId } : {}), ...(service !== undefined ? { svc: service } : {}) })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setIssuer(EMBEDDED_ISSUER)
        .setAudience(EMBEDDED_AUDIENCE)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(keys.privateKey);

    fresh = await createFreshDatabase('cfgorch');
    dataDir = await mkdtemp(join(tmpdir(), 'cfgorch-'));
    const existing = await withAdmin((client) => client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])', [serviceRoles]));
    rolesCreatedHere = serviceRoles.filter((role) => !existing.rows.some((row) => row.rolname === role));
    epochCreatedHere = !(await withRedis((redis) => redis.exists(RESOLUTION_EPOCH_KEY)));

    const basePort = await freePortRange(2);
    configUrl = `http://127.0.0.1:${basePort}`;
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: fresh.url,
      REDIS_URL: testServices.redisUrl,
      NATS_URL: testServices.natsUrl,
      NATS_STREAM_PREFIX: streamPrefix,
      NATS_SUBJECT_PREFIX: streamPrefix.slice(0, -1),
      MIGRATE_ON_START: 'true',
      BASE_PORT: String(basePort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      JWT_PUBLIC_KEY: await exportSPKI(keys.publicKey),
      CONFIG_SERVICE_URL: configUrl,
      SUBMIT_API_ENABLED: 'true',
      ORCH_SERVICE_TOKEN: await sign({ subject: 'service:sms-orchestrator', roles: ['service'], service: 'sms-orchestrator' }),
      ORCH_SUBMIT_BURST: '3',
    };
    // The orchestrator reads its own variables from what its factory is given (as the platform gives them).
    platform = await runServices([serviceNamed('config-service'), createSmsOrchestratorService({ env })], {
      handleSignals: false,
      announce: () => undefined,
      env,
    });
    orchestratorUrl = platform.services[1]?.url ?? '';
    expect(platform.services[0]?.url).toBe(configUrl);

    for (const tenantId of [partsTenant, rateTenant]) {
      const created = await configCall('POST', '/v1/nodes', { parent: '/GLOBAL', level: 'tenant', name: tenantId, tenantId, reason: 'test tenant' });
      expect(created.status).toBe(201);
    }
  });

  afterAll(async () => {
    await platform?.stop('test cleanup');
    await deleteStreams(streams);
    await fresh.drop();
    await withAdmin(async (client) => {
      for (const role of rolesCreatedHere) await client.query(`DROP ROLE IF EXISTS "${role}"`);
    });
    await withRedis((redis) => forgetTenants(redis, [partsTenant, rateTenant], epochCreatedHere));
    await rm(dataDir, { recursive: true, force: true });
  });

  const twoPartBody = 'a'.repeat(200);

  async function configCall(method: string, path: string, body: unknown): Promise<Response> {
    const token = await sign({ subject: 'user:platform-admin', roles: ['platform-admin'] });
    return fetch(`${configUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function submit(tenantId: string, body: string): Promise<Answer> {
    const token = await sign({ subject: `user:${tenantId}`, roles: ['tenant'], tenantId });
    const response = await fetch(`${orchestratorUrl}/v1/sms/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-tenant-id': tenantId, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+93791234567', from: '+93701234567', body }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }

  it('refuses a two-part message within seconds of the tenant’s part limit being set to 1, naming the limit', async () => {
    const before = await submit(partsTenant, twoPartBody);
    expect([before.status, before.body['segments']]).toEqual([202, 2]);

    const set = await configCall('PUT', `/v1/nodes/tenant:${partsTenant}/values/sms.max_parts_per_message`, { value: 1, reason: 'one part only' });
    expect(set.status).toBe(200);

    const refused = await eventually(async () => {
      const response = await submit(partsTenant, twoPartBody);
      expect(response.status).toBe(400);
      return response;
    });
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body['code']).toBe('ORCH.VALIDATION_FAILED');
    expect(refused.body['errors']).toEqual([expect.objectContaining({ field: 'body', code: 'ORCH.TOO_MANY_PARTS', message: expect.stringContaining('limit of 1 parts') as unknown })]);
  });

  it('answers 429 with Retry-After within seconds of the tenant’s submit rate being set to 1 per second', async () => {
    const before = await Promise.all([1, 2, 3].map(() => submit(rateTenant, 'hello')));
    expect(before.map((r) => r.status)).toEqual([202, 202, 202]);

    const set = await configCall('PUT', `/v1/nodes/tenant:${rateTenant}/values/sms.submit_rate_per_second`, { value: 1, reason: 'slow down' });
    expect(set.status).toBe(200);

    const limited = await eventually(async () => {
      const response = await submit(rateTenant, 'hello');
      expect(response.status).toBe(429);
      return response;
    });
    expect([limited.headers.get('content-type'), limited.body['code']]).toEqual([
      expect.stringContaining('application/problem+json'),
      'ORCH.RATE_LIMITED',
    ]);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('stops cleanly with exit code 0', async () => {
    const running = platform;
    platform = undefined;
    expect(await running?.stop('test finished')).toBe(0);
  });
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

function serviceNamed(name: string): ServiceDefinition {
  const found = platformServices.find((s) => s.name === name);
  if (found === undefined) throw new Error(`the platform has no service named ${name}`);
  return found;
}

/** Polls `attempt` until it returns without throwing, or rethrows its last failure after `timeoutMs`. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

// config-service's Redis resolution cache (its key prefix is fixed in its service definition).
const RESOLUTION_PREFIX = 'config:{resolution}:';
const RESOLUTION_EPOCH_KEY = `${RESOLUTION_PREFIX}epoch`;

async function withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(testServices.redisUrl);
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * Removes what the services wrote in the shared Redis for these tenants: rate buckets and resolution
 * entries (keys naming them), their references in the resolution cache's path index, and the cache's
 * invalidation counter when no one else had one.
 */
async function forgetTenants(redis: Redis, tenantIds: readonly string[], dropEpoch: boolean): Promise<void> {
  for (const tenantId of tenantIds) {
    const keys = await redis.keys(`*${tenantId}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  for (const index of await redis.keys(`${RESOLUTION_PREFIX}i:*`)) {
    await redis.srem(index, ...tenantIds.map((id) => `tenant:${id}`));
  }
  if (dropEpoch) await redis.del(RESOLUTION_EPOCH_KEY);
}
