import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFreshDatabase, deleteStreams, freePortRange, testServices, uniqueName, withAdmin } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { withTenant } from '@sms/db';
import { runServices } from '@sms/runtime';
import type { RunningPlatform, ServiceDefinition } from '@sms/runtime';
import { sql } from 'kysely';

// Production mode: the runtime picks PostgreSQL, Redis and NATS JetStream from the environment,
// migrates the service's schema with its roles, and serves health through them.
describe('runServices against real PostgreSQL, Redis and NATS', () => {
  const schema = uniqueName('rt');
  const streamPrefix = `${uniqueName('RT')}_`;
  const dataDir = join(tmpdir(), schema);
  let fresh: FreshDatabase;
  let platform: RunningPlatform;

  const notes: ServiceDefinition = {
    name: 'notes-service',
    schema,
    apiVersion: '1.0.0',
    description: 'A service that exists only for this test.',
    defaultPort: 0,
    migrationsDir: fileURLToPath(new URL('../fixtures/migrations', import.meta.url)),
    streams: [{ name: 'NOTES', subjects: [`${schema}.>`] }],
    registerApiRoutes(app) {
      app.post('/notes', { schema: { body: z.object({ body: z.string().min(1) }), headers: z.object({ 'x-tenant-id': z.string() }) } }, () => Promise.resolve({}));
    },
    start(context) {
      const cache = context.infra.cache(`${schema}:`);
      context.app.post(
        '/notes',
        { schema: { body: z.object({ body: z.string().min(1) }), headers: z.object({ 'x-tenant-id': z.string() }) } },
        async (request, reply) => {
          const tenantId = request.headers['x-tenant-id'];
          await withTenant(context.database.db, { tenantId, role: context.roles.appRole }, (trx) =>
            sql`INSERT INTO ${sql.table(`${schema}.notes`)} (tenant_id, body) VALUES (${tenantId}, ${request.body.body})`.execute(trx),
          );
          const count = await withTenant(context.database.db, { tenantId, role: context.roles.appRole }, (trx) =>
            sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`${schema}.notes`)}`.execute(trx),
          );
          return reply.code(201).send({ visible: count.rows[0]?.n ?? 0 });
        },
      );
      return Promise.resolve({ readiness: [{ name: 'redis', critical: false, check: () => cache.ping() }], closers: [{ name: 'cache', close: () => cache.close() }] });
    },
  };

  beforeAll(async () => {
    fresh = await createFreshDatabase('runtime');
    platform = await runServices([notes], {
      handleSignals: false,
      announce: () => undefined,
      env: {
        DATABASE_URL: fresh.url,
        REDIS_URL: testServices.redisUrl,
        NATS_URL: testServices.natsUrl,
        NATS_STREAM_PREFIX: streamPrefix,
        NATS_SUBJECT_PREFIX: streamPrefix.slice(0, -1),
        MIGRATE_ON_START: 'true',
        PORT: String(await freePortRange(1)),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
      },
    });
  });

  afterAll(async () => {
    await deleteStreams([`${streamPrefix}NOTES`, `${streamPrefix}DLQ`]);
    await fresh.drop();
    await rm(dataDir, { recursive: true, force: true });
    await withAdmin(async (client) => {
      for (const role of [`${schema}_app`, `${schema}_system`]) await client.query(`DROP ROLE IF EXISTS "${role}"`);
    });
  });

  it('chooses the production adapter for every port whose URL is set', () => {
    expect(platform.infra.mode).toBe('production');
    expect(platform.infra.adapters).toMatchObject({ database: 'postgres', bus: 'nats-jetstream', cache: 'redis' });
  });

  it('is ready with PostgreSQL, NATS and Redis all up', async () => {
    const url = platform.services[0]?.url ?? '';
    const response = await fetch(`${url}/health/ready`);
    const body = (await response.json()) as { checks: Array<{ name: string; status: string }> };
    expect(response.status).toBe(200);
    expect(Object.fromEntries(body.checks.map((c) => [c.name, c.status]))).toEqual({ postgres: 'up', bus: 'up', redis: 'up' });
  });

  it('runs requests as the service role, so one tenant sees only its own rows', async () => {
    const url = platform.services[0]?.url ?? '';
    const post = (tenant: string) =>
      fetch(`${url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant-id': tenant }, body: JSON.stringify({ body: 'hello' }) });
    await post('tenant-a');
    await post('tenant-a');
    const fromB = (await (await post('tenant-b')).json()) as { visible: number };
    expect(fromB.visible).toBe(1);
  });

  it('stops cleanly with exit code 0', async () => {
    expect(await platform.stop('test finished')).toBe(0);
  });
});
