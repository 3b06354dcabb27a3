import { Redis } from 'ioredis';
import { createLogger } from '@sms/logging';
import { testServices, uniqueName } from '@sms/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrchestratorMetrics } from '../../src/adapters/observability/orchestrator-metrics.js';
import { LocalTokenBucketRateLimiter } from '../../src/adapters/redis/local-token-bucket.rate-limiter.js';
import { RedisTokenBucketRateLimiter } from '../../src/adapters/redis/redis-token-bucket.rate-limiter.js';
import { startPrivateRedis } from '../support/private-redis.js';

const keyPrefix = `${uniqueName('orch_rate')}:`;
const limit = { messagesPerSecond: 10, burst: 20 };
const t0 = new Date('2026-04-18T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const limiters: RedisTokenBucketRateLimiter[] = [];
const silent = createLogger({ service: 'test', level: 'silent' });

function limiter(url = testServices.redisUrl, fallback = new LocalTokenBucketRateLimiter()) {
  const created = new RedisTokenBucketRateLimiter({ url, keyPrefix, fallback, metrics: new OrchestratorMetrics(new Registry()), logger: silent });
  limiters.push(created);
  return created;
}

let admin: Redis;
beforeAll(() => {
  admin = new Redis(testServices.redisUrl);
});
afterEach(async () => {
  await Promise.all(limiters.splice(0).map((l) => l.close()));
});
afterAll(async () => {
  const keys = await admin.keys(`${keyPrefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

describe('RedisTokenBucketRateLimiter', () => {
  it('lets a full bucket through up to its burst, then refuses with the time until enough tokens are back', async () => {
    const rate = limiter();
    const tenant = uniqueName('t');

    const first = await rate.tryAcquire(tenant, 20, limit, t0);
    const second = await rate.tryAcquire(tenant, 5, limit, t0);

    expect(first).toEqual({ allowed: true });
    expect(second).toEqual({ allowed: false, retryAfterMs: 500 });
  });

  it('refills at the configured rate', async () => {
    const rate = limiter();
    const tenant = uniqueName('t');
    await rate.tryAcquire(tenant, 20, limit, t0);

    const afterHalfASecond = await rate.tryAcquire(tenant, 5, limit, at(500));

    expect(afterHalfASecond).toEqual({ allowed: true });
  });

  it('lets a request larger than the burst through from a full bucket and makes later ones wait for the debt', async () => {
    const rate = limiter();
    const tenant = uniqueName('t');

    const bulk = await rate.tryAcquire(tenant, 100, limit, t0);
    const next = await rate.tryAcquire(tenant, 1, limit, at(1000));

    expect(bulk).toEqual({ allowed: true });
    expect(next).toEqual({ allowed: false, retryAfterMs: 7100 });
  });

  it('shares one bucket between replicas', async () => {
    const replicaA = limiter();
    const replicaB = limiter();
    const tenant = uniqueName('t');

    await replicaA.tryAcquire(tenant, 20, limit, t0);
    const fromB = await replicaB.tryAcquire(tenant, 1, limit, t0);

    expect(fromB.allowed).toBe(false);
  });

  it('keeps tenants apart', async () => {
    const rate = limiter();
    await rate.tryAcquire('tenant-one', 20, limit, t0);

    const other = await rate.tryAcquire(uniqueName('t'), 1, limit, t0);

    expect(other).toEqual({ allowed: true });
  });

  it('falls back to the in-process bucket while its Redis is down', async () => {
    const redis = await startPrivateRedis();
    const rate = limiter(redis.url);
    const tenant = uniqueName('t');
    await redis.kill();

    const decisions = [];
    for (let i = 0; i < 3; i += 1) decisions.push(await rate.tryAcquire(tenant, 10, limit, t0));

    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
  });
});
