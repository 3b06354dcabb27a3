import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { testServices, uniqueName } from '@sms/testing';
import { RedisLeaseCache } from '../../src/adapters/redis/redis-lease.cache.js';
import { describeLeaseCacheContract } from '../support/contracts/lease-cache.contract.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';
import { startPrivateRedis } from '../support/private-redis-server.js';
import type { PrivateRedis } from '../support/private-redis-server.js';

describeLeaseCacheContract('Redis', () => {
  const cache = new RedisLeaseCache({ url: testServices.redisUrl, keyPrefix: `${uniqueName('lease_contract')}:`, ttlMs: 10_000 });
  return Promise.resolve({ cache, close: () => cache.close() });
});

describe('the Redis lease cache', () => {
  it('lets an entry expire after its TTL', async () => {
    const cache = new RedisLeaseCache({ url: testServices.redisUrl, keyPrefix: `${uniqueName('lease_ttl')}:`, ttlMs: 50 });
    await cache.put({ numberId: 'n1', sender: '+93701000001', numberVersion: 1, lease: null });

    await vi.waitFor(async () => expect(await cache.get('+93701000001')).toBeUndefined(), { timeout: 2000, interval: 20 });
    await cache.close();
  });

  it('throws at once when Redis is not reachable', async () => {
    const cache = new RedisLeaseCache({ url: 'redis://127.0.0.1:1', keyPrefix: 'x:' });
    const started = Date.now();

    await expect(cache.get('+93701000001')).rejects.toThrow(/not reachable/);
    expect(Date.now() - started).toBeLessThan(1500);
    await cache.close();
  });
});

describe('ValidateLease during a Redis outage', () => {
  const ACME = 'tenant-acme';
  const SENDER = '+93704440001';
  let fixture: PostgresFixture;
  let redis: PrivateRedis;
  let cache: RedisLeaseCache;
  let world: PostgresWorld;
  const validate = () => world.useCases.validateLease.execute({ sender: SENDER, tenantId: ACME, use: 'otp' });

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_redis_outage');
  });
  afterAll(async () => {
    await fixture.close();
  });
  beforeEach(async () => {
    redis = await startPrivateRedis();
    cache = new RedisLeaseCache({ url: redis.url, keyPrefix: 'numbering:', commandTimeoutMs: 200 });
    world = await createPostgresWorld(fixture, { tenants: [ACME], leaseCache: cache });
    await world.addNumbers([SENDER]);
    const acme = world.useCases.forActor(tenant(ACME));
    await acme.reserve.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number: SENDER, tenantId: ACME, tenantPoolId: world.tenantPools[ACME] ?? '' });
    await acme.assign.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number: SENDER, tenantId: ACME, uses: ['otp'] });
  });
  afterEach(async () => {
    await cache.close();
    await redis.dispose();
  });

  it('answers from Redis once the cache is warm', async () => {
    const first = await validate();
    const second = await validate();

    expect([first, second].map((r) => r.ok && [r.value.source, r.value.cache, r.value.verdict.valid])).toEqual([
      ['repository', 'miss', true],
      ['cache', 'hit', true],
    ]);
  });

  it('still answers correctly from PostgreSQL when Redis is down', async () => {
    await validate();
    await redis.kill();
    const started = Date.now();

    const during = await validate();

    expect(during.ok && [during.value.source, during.value.cache, during.value.verdict.valid]).toEqual(['repository', 'unavailable', true]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not validate a lease released while Redis is down', async () => {
    await validate();
    await redis.kill();
    const released = await world.useCases
      .forActor(tenant(ACME))
      .release.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number: SENDER, tenantId: ACME });

    const after = await validate();

    expect([released.ok, after.ok && after.value.verdict]).toEqual([true, { valid: false, reason: 'not_leased' }]);
  });

  it('uses Redis again once it is back', async () => {
    await redis.kill();
    await validate();
    await redis.restart();
    await vi.waitFor(() => cache.ping(), { timeout: 10_000, interval: 100 });

    const refill = await validate();
    const hit = await validate();

    expect([refill, hit].map((r) => r.ok && [r.value.source, r.value.cache])).toEqual([
      ['repository', 'miss'],
      ['cache', 'hit'],
    ]);
  });
});
