import { Redis } from 'ioredis';
import { testServices, uniqueName } from '@sms/testing';
import { RedisResolutionCache } from '../../src/adapters/redis/redis-resolution-cache.js';
import { describeResolutionCacheContract } from '../contract/resolution-cache.contract.js';

describeResolutionCacheContract('Redis', () => {
  const runPrefix = `${uniqueName('cfg_res')}:{r}:`;
  const caches: RedisResolutionCache[] = [];
  let n = 0;
  return Promise.resolve({
    async cache(ttlMs: number) {
      n += 1;
      const cache = new RedisResolutionCache({ url: testServices.redisUrl, keyPrefix: `${runPrefix}${n}:`, ttlMs });
      caches.push(cache);
      await cache.ready();
      return cache;
    },
    // Redis expires keys on its own clock: real time has to pass.
    pass: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    async cleanup() {
      await Promise.all(caches.map((c) => c.close()));
      const redis = new Redis(testServices.redisUrl);
      try {
        const keys = await redis.keys(`${runPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  });
});
