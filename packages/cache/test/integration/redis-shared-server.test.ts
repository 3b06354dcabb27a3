import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '@sms/cache';
import type { Cache } from '@sms/cache';
import { testServices, uniqueName } from '@sms/testing';

// The shared Redis of this machine, for the plain commands only (expiry notifications would reconfigure it).
describe('Redis cache on the shared server', () => {
  let cache: Cache;

  beforeAll(() => {
    cache = createRedisCache({ url: testServices.redisUrl, keyPrefix: `${uniqueName('cache')}:` });
  });
  afterAll(async () => {
    await cache.delete('greeting');
    await cache.delete('lock');
    await cache.close();
  });

  it('answers ping straight after creation', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });

  it('stores, reads and conditionally stores values', async () => {
    await cache.set('greeting', 'salaam', { ttlMs: 60_000 });
    const won = await cache.setIfAbsent('lock', 'a', { ttlMs: 60_000 });
    const lost = await cache.setIfAbsent('lock', 'b', { ttlMs: 60_000 });

    expect([await cache.get('greeting'), won, lost]).toEqual(['salaam', true, false]);
  });
});
