import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { withSystem } from '@sms/db';
import { testServices } from '@sms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitIdempotencyCacheKey } from '../../src/adapters/redis/cached-idempotency.store.js';
import { ScriptedRouter, ScriptedSenderLeaseChecker } from '../../src/application/testing/index.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';

let fixture: OrchestratorFixture;
let redis: Redis;
const TENANT = 'tenant-fast-path';

beforeAll(async () => {
  fixture = await startOrchestratorFixture({
    label: 'orch_fast_path',
    env: { ORCH_SUBMIT_RATE_PER_SECOND: '1', ORCH_SUBMIT_BURST: '3' },
    overrides: { senderLeases: new ScriptedSenderLeaseChecker(), router: new ScriptedRouter() },
  });
  redis = new Redis(testServices.redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await fixture.close();
});

async function send(key: string | null, payload: unknown = validSend(), tenant = TENANT) {
  return call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(tenant, key === null ? {} : { 'idempotency-key': key }), payload);
}

async function forgetInPostgres(key: string): Promise<void> {
  await withSystem(fixture.database.database.db, { role: fixture.database.roles.systemRole }, (trx) =>
    sql`DELETE FROM orch.idempotency_keys WHERE key = ${key}`.execute(trx),
  );
}

async function findCacheKey(key: string): Promise<string | undefined> {
  const suffix = submitIdempotencyCacheKey(TENANT, key);
  const keys = await redis.keys(`*${suffix}`);
  return keys[0];
}

describe('the Redis fast path of idempotency (orch:submit-idem:*)', () => {
  it('stores the completed answer under orch:submit-idem:<tenant>:<hash of the key> with a TTL of at most 48 hours', async () => {
    const key = randomUUID();
    await send(key);

    const cacheKey = await findCacheKey(key);
    const ttl = cacheKey === undefined ? -2 : await redis.pttl(cacheKey);

    expect(cacheKey).toMatch(/orch:submit-idem:tenant-fast-path:[0-9a-f]{64}$/);
    expect(ttl).toBeGreaterThan(47 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(48 * 3_600_000);
  });

  it('answers a replay from Redis without PostgreSQL (the record deleted there is still replayed)', async () => {
    const key = randomUUID();
    const first = await send(key);
    await forgetInPostgres(key);

    const replay = await send(key);

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
  });

  it('answers a conflict from Redis too', async () => {
    const key = randomUUID();
    await send(key);
    await forgetInPostgres(key);

    const conflict = await send(key, validSend({ body: 'another text' }));

    expect(conflict.statusCode).toBe(422);
  });

  it('limits a tenant to its burst and answers 429 with Retry-After', async () => {
    const tenant = `tenant-rate-${randomUUID().slice(0, 8)}`;
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await send(null, validSend(), tenant));

    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 429]);
    expect(answers[3]?.body.code).toBe('ORCH.RATE_LIMITED');
    expect(Number(answers[3]?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('releases the key of a rate-limited request, so a retry with the same key is rate-limited again instead of refused as in progress', async () => {
    const tenant = `tenant-rate-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 3; i += 1) await send(null, validSend(), tenant);
    const key = randomUUID();

    const limited = await send(key, validSend(), tenant);
    const again = await send(key, validSend(), tenant);

    expect(limited.statusCode).toBe(429);
    expect(again.statusCode).toBe(429);
    expect(again.body.code).toBe('ORCH.RATE_LIMITED');
  });
});
