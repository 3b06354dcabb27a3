import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisCache } from '@sms/cache';
import type { Cache } from '@sms/cache';
import { uniqueName } from '@sms/testing';
import { startPrivateRedisServer } from './private-redis-server.js';
import type { PrivateRedisServer } from './private-redis-server.js';

// Reconfigures keyspace events, so it runs on a private redis-server, never the shared one.
describe('Redis cache: keyspace events', () => {
  let server: PrivateRedisServer;
  let admin: Redis;
  const caches: Cache[] = [];

  beforeAll(async () => {
    server = await startPrivateRedisServer();
    admin = new Redis(server.url);
  });
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
  });
  afterAll(async () => {
    await admin.quit();
    await server.dispose();
  });

  const flags = async (): Promise<string> => {
    const [, value = ''] = (await admin.config('GET', 'notify-keyspace-events')) as string[];
    return value;
  };
  const cacheAt = (url: string): Cache => {
    const cache = createRedisCache({ url, keyPrefix: `${uniqueName('events')}:` });
    caches.push(cache);
    return cache;
  };

  it('adds the expired-event flags to the ones already set', async () => {
    await admin.config('SET', 'notify-keyspace-events', 'Kg');

    await cacheAt(server.url).onExpired('x:', () => undefined);

    expect([...(await flags())].sort()).toEqual(['E', 'K', 'g', 'x']);
  });

  it('leaves the flags alone when expired events are already on', async () => {
    await admin.config('SET', 'notify-keyspace-events', 'KEA');
    const before = await flags();

    await cacheAt(server.url).onExpired('x:', () => undefined);

    expect(await flags()).toBe(before);
  });

  it('notifies expiries in the database the URL names', async () => {
    const cache = cacheAt(`${server.url}/3`);
    const expired: string[] = [];
    await cache.onExpired('r:', (key) => expired.push(key));

    await cache.set('r:1', 'x', { ttlMs: 50 });

    await vi.waitFor(() => expect(expired).toEqual(['r:1']), { timeout: 5000, interval: 20 });
  });
});
