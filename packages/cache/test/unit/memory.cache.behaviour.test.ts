import { describe, expect, it, vi } from 'vitest';
import { createMemoryCache } from '@sms/cache';
import { ManualClock } from '@sms/kernel';

describe('memory cache (beyond the contract)', () => {
  it('fires expiry notifications from its own timer on the system clock', async () => {
    const cache = createMemoryCache({ sweepIntervalMs: 20 });
    const expired: string[] = [];
    await cache.onExpired('', (key) => expired.push(key));

    await cache.set('k', 'v', { ttlMs: 10 });

    await vi.waitFor(() => expect(expired).toEqual(['k']), { timeout: 2000, interval: 10 });
    await cache.close();
  });

  it('notifies an expiry noticed by a read, before any sweep', async () => {
    const clock = new ManualClock();
    const cache = createMemoryCache({ clock, sweepIntervalMs: 0 });
    const expired: string[] = [];
    await cache.onExpired('', (key) => expired.push(key));
    await cache.set('k', 'v', { ttlMs: 10 });

    clock.advance(10);
    const value = await cache.get('k');

    await vi.waitFor(() => expect(expired).toEqual(['k']));
    expect(value).toBeNull();
    await cache.close();
  });

  it('expires nothing on tick before the TTL has passed on its clock', async () => {
    const clock = new ManualClock();
    const cache = createMemoryCache({ clock, sweepIntervalMs: 0 });
    await cache.set('k', 'v', { ttlMs: 1000 });

    clock.advance(999);
    cache.tick();

    await expect(cache.get('k')).resolves.toBe('v');
    await cache.close();
  });

  it('keeps notifying other handlers when one throws', async () => {
    const clock = new ManualClock();
    const cache = createMemoryCache({ clock, sweepIntervalMs: 0 });
    const expired: string[] = [];
    await cache.onExpired('', () => {
      throw new Error('handler bug');
    });
    await cache.onExpired('', (key) => expired.push(key));
    await cache.set('k', 'v', { ttlMs: 1 });

    clock.advance(1);
    cache.tick();

    await vi.waitFor(() => expect(expired).toEqual(['k']));
    await cache.close();
  });

  it('shares entries between views of one key prefix', async () => {
    const cache = createMemoryCache({ keyPrefix: 'a:', sweepIntervalMs: 0 });
    const sameNamespace = cache.withKeyPrefix('a:');

    await cache.set('k', 'v');

    await expect(sameNamespace.get('k')).resolves.toBe('v');
    await cache.close();
    await sameNamespace.close();
  });
});
