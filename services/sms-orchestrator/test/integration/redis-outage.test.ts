import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withSystem } from '@sms/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedRouter, ScriptedSenderLeaseChecker } from '../../src/application/testing/index.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';
import { startPrivateRedis } from '../support/private-redis.js';
import type { PrivateRedis } from '../support/private-redis.js';

let redis: PrivateRedis;
let fixture: OrchestratorFixture;
const TENANT = 'tenant-outage';
const keyBeforeOutage = randomUUID();
let idBeforeOutage: string;

beforeAll(async () => {
  redis = await startPrivateRedis();
  fixture = await startOrchestratorFixture({
    label: 'orch_redis_outage',
    redisUrl: redis.url,
    overrides: { senderLeases: new ScriptedSenderLeaseChecker(), router: new ScriptedRouter() },
  });
  const first = await send(keyBeforeOutage, validSend({ client_reference: 'before-outage' }));
  idBeforeOutage = String(first.body.message_id);
});
afterAll(async () => {
  await fixture.close();
  await redis.kill();
});

async function send(key: string, payload: unknown = validSend()) {
  return call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT, { 'idempotency-key': key }), payload);
}

async function countByReference(reference: string): Promise<number> {
  return withSystem(fixture.database.database.db, { role: fixture.database.roles.systemRole }, async (trx) => {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.sms_messages WHERE client_reference = ${reference}`.execute(trx);
    return result.rows[0]?.n ?? 0;
  });
}

async function redisErrorCount(): Promise<number> {
  const metric = await fixture.registry.getSingleMetric('orch_dependency_requests_total')?.get();
  return (metric?.values ?? [])
    .filter((v) => v.labels.dependency === 'redis' && v.labels.outcome === 'error')
    .reduce((sum, v) => sum + v.value, 0);
}

async function readiness() {
  const response = await fixture.app.inject({ method: 'GET', url: '/health/ready' });
  return { statusCode: response.statusCode, body: JSON.parse(response.body) as { status: string; checks: Array<{ name: string; status: string }> } };
}

describe('a Redis outage in the middle of submitting', () => {
  it('reports Redis up and the service ready while Redis runs', async () => {
    const ready = await readiness();

    expect(ready.statusCode).toBe(200);
    expect(ready.body.checks.find((c) => c.name === 'redis')?.status).toBe('up');
  });

  it('keeps accepting submits after Redis is killed, and counts the Redis errors', async () => {
    await redis.kill();
    const errorsBefore = await redisErrorCount();

    const responses = await Promise.all(Array.from({ length: 5 }, () => send(randomUUID(), validSend({ client_reference: 'during-outage' }))));

    expect(responses.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(await countByReference('during-outage')).toBe(5);
    expect(await redisErrorCount()).toBeGreaterThan(errorsBefore);
  });

  it('replays a request accepted before the outage from PostgreSQL, without a duplicate', async () => {
    const replay = await send(keyBeforeOutage, validSend({ client_reference: 'before-outage' }));

    expect(replay.statusCode).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.message_id).toBe(idBeforeOutage);
    expect(await countByReference('before-outage')).toBe(1);
  });

  it('replays a request accepted during the outage, without a duplicate', async () => {
    const key = randomUUID();
    const payload = validSend({ client_reference: 'replayed-during-outage' });
    const first = await send(key, payload);

    const replay = await send(key, payload);

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.message_id).toBe(first.body.message_id);
    expect(await countByReference('replayed-during-outage')).toBe(1);
  });

  it('still refuses the same key with another body (422) during the outage', async () => {
    const conflict = await send(keyBeforeOutage, validSend({ body: 'something else' }));

    expect(conflict.statusCode).toBe(422);
  });

  it('still creates exactly one message from 50 concurrent requests with one key during the outage', async () => {
    const key = randomUUID();
    const payload = validSend({ client_reference: 'concurrent-outage' });

    const responses = await Promise.all(Array.from({ length: 50 }, () => send(key, payload)));

    expect(responses.every((r) => r.statusCode === 202 || r.statusCode === 409)).toBe(true);
    expect(await countByReference('concurrent-outage')).toBe(1);
  });

  it('reports readiness degraded (still 200) with Redis degraded while it is down', async () => {
    const ready = await readiness();

    expect(ready.statusCode).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks.find((c) => c.name === 'redis')?.status).toBe('degraded');
  });

  it('uses Redis again once it is back', async () => {
    await redis.restart();
    await expect.poll(async () => (await readiness()).body.status, { timeout: 10_000, interval: 100 }).toBe('ok');

    const response = await send(randomUUID());

    expect(response.statusCode).toBe(202);
  });
});
