import { afterAll, beforeAll } from 'vitest';
import { createRedisCache } from '@sms/cache';
import type { Cache } from '@sms/cache';
import { uniqueName } from '@sms/testing';
import { describeCacheContract } from '../contract/cache.contract.js';
import { startPrivateRedisServer } from './private-redis-server.js';
import type { PrivateRedisServer } from './private-redis-server.js';

// The expiry-notification tests make the adapter turn on keyspace events with CONFIG SET, which the shared Redis
// must not be subjected to; so this suite runs against a private redis-server (the same binary as the shared one).
let server: PrivateRedisServer;
beforeAll(async () => {
  server = await startPrivateRedisServer();
});
afterAll(() => server.dispose());

describeCacheContract('Redis', () => {
  const handedOut: Cache[] = [];
  return Promise.resolve({
    cacheFor(keyPrefix: string) {
      const cache = createRedisCache({ url: server.url, keyPrefix });
      handedOut.push(cache);
      return cache;
    },
    uniquePrefix: () => `${uniqueName('cache')}:`,
    advance: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    async cleanup() {
      await Promise.all(handedOut.map((cache) => cache.close()));
    },
  });
});
