import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheUnavailableError, createRedisCache } from '@sms/cache';
import type { Cache } from '@sms/cache';
import { uniqueName } from '@sms/testing';
import { startPrivateRedisServer } from './private-redis-server.js';
import type { PrivateRedisServer } from './private-redis-server.js';

describe('Redis cache during a Redis outage', () => {
  let server: PrivateRedisServer;
  let cache: Cache;

  beforeEach(async () => {
    server = await startPrivateRedisServer();
    cache = createRedisCache({ url: server.url, keyPrefix: `${uniqueName('outage')}:` });
    await cache.set('before', 'outage');
  });
  afterEach(async () => {
    await cache.close();
    await server.dispose();
  });

  it('rejects commands within two seconds once the server is killed', async () => {
    await server.kill();
    const started = Date.now();

    const outcomes = await Promise.allSettled([cache.get('before'), cache.set('k', 'v'), cache.setIfAbsent('k', 'v')]);

    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : o.status))).toEqual([
      'CacheUnavailableError',
      'CacheUnavailableError',
      'CacheUnavailableError',
    ]);
  });

  it('rejects a command within its timeout when the server stops answering', async () => {
    server.pause();
    const started = Date.now();

    const reading = cache.get('before');

    await expect(reading).rejects.toThrow(/Redis GET failed: Command timed out/);
    expect(Date.now() - started).toBeLessThan(2000);
    server.resume();
  });

  it('fails ping once the server is killed', async () => {
    await server.kill();

    await expect(cache.ping()).rejects.toBeInstanceOf(CacheUnavailableError);
  });

  it('works again once the server is back', async () => {
    await server.kill();
    await expect(cache.ping()).rejects.toBeInstanceOf(CacheUnavailableError);

    await server.restart();

    await vi.waitFor(() => cache.ping(), { timeout: 10_000, interval: 100 });
    await cache.set('after', 'outage');
    await expect(cache.get('after')).resolves.toBe('outage');
  });
});
