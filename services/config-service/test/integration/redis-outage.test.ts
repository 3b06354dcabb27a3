import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisResolutionCache } from '../../src/adapters/redis/redis-resolution-cache.js';
import { ResolveConfigUseCase } from '../../src/application/resolve-config.use-case.js';
import { SetValueUseCase } from '../../src/application/set-value.use-case.js';
import { createConfigDatabase, postgresDeps } from '../support/config-database.js';
import type { ConfigDatabaseFixture } from '../support/config-database.js';
import { startPrivateRedis } from '../support/private-redis.js';
import type { PrivateRedis } from '../support/private-redis.js';
import { actors } from '../support/tree.js';

const RATE = 'sms.submit_rate_per_second';
const admin = actors.platformAdmin;

/**
 * Resolution while the Redis of the resolution cache is down or frozen (a private redis-server
 * the test kills): every call is answered from PostgreSQL, quickly, with the current value;
 * caching resumes once Redis is back.
 */
describe('resolution during a Redis outage', () => {
  let db: ConfigDatabaseFixture;
  let deps: Awaited<ReturnType<typeof postgresDeps>>;
  let redis: PrivateRedis;
  let cache: RedisResolutionCache;
  let resolve: ResolveConfigUseCase;

  beforeAll(async () => {
    db = await createConfigDatabase('cfg_redis_outage');
    deps = await postgresDeps(db);
  });
  afterAll(async () => {
    await db.cleanup();
  });
  beforeEach(async () => {
    redis = await startPrivateRedis();
    cache = new RedisResolutionCache({ url: redis.url, keyPrefix: 'outage:{r}:', ttlMs: 60_000, commandTimeoutMs: 300 });
    await cache.ready();
    resolve = new ResolveConfigUseCase({ uow: deps.uow, accessPolicy: deps.accessPolicy, cache });
  });
  afterEach(async () => {
    await cache.close();
    await redis.dispose();
  });

  const timed = async () => {
    const started = Date.now();
    const result = await resolve.execute({ subject: admin, node: '/GLOBAL', keys: [RATE] });
    return { ms: Date.now() - started, cached: result.ok && result.value.cached, value: result.ok ? result.value.values[RATE]?.value : undefined };
  };

  it('answers from PostgreSQL at once when Redis is killed', async () => {
    await timed();
    expect((await timed()).cached).toBe(true);

    await redis.kill();
    const during = await timed();

    expect([during.cached, during.value]).toEqual([false, 100]);
    expect(during.ms).toBeLessThan(1500);
  });

  it('answers the current value from PostgreSQL while Redis is frozen, within the command timeout', async () => {
    await timed();
    redis.pause();

    await new SetValueUseCase({ ...deps, cache }).execute({ subject: admin, node: '/GLOBAL', key: RATE, value: 250, reason: 'during the outage' });
    const during = await timed();
    redis.resume();

    expect([during.cached, during.value]).toEqual([false, 250]);
    expect(during.ms).toBeLessThan(1500);
  });

  it('caches again once Redis is back', async () => {
    await redis.kill();
    await timed();

    await redis.restart();
    await cache.ready(5000);
    await timed();
    const after = await timed();

    expect(after.cached).toBe(true);
  });
});
