import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheUnavailableError } from '@sms/cache';
import type { Cache } from '@sms/cache';

export interface CacheBackendUnderTest {
  /** A cache over the backend under the given key prefix; caches of one backend share its entries. */
  cacheFor(keyPrefix: string): Cache;
  /** A key prefix no other test uses. */
  uniquePrefix(): string;
  /** Lets `ms` pass for TTLs: advances a manual clock (and runs the expiry sweep), or sleeps for a real server. */
  advance(ms: number): Promise<void>;
  /** Closes every cache handed out and removes what the test stored. */
  cleanup(): Promise<void>;
}

const WAIT = { timeout: 5000, interval: 20 };

/** The behaviour every {@link Cache} adapter must show. */
export function describeCacheContract(name: string, factory: () => Promise<CacheBackendUnderTest>): void {
  describe(`Cache contract: ${name}`, () => {
    let backend: CacheBackendUnderTest;
    let cache: Cache;

    beforeEach(async () => {
      backend = await factory();
      cache = backend.cacheFor(backend.uniquePrefix());
    });
    afterEach(() => backend.cleanup());

    it('returns what was set', async () => {
      await cache.set('tenant:1', 'acme');

      await expect(cache.get('tenant:1')).resolves.toBe('acme');
    });

    it('returns null for a key never set', async () => {
      await expect(cache.get('missing')).resolves.toBeNull();
    });

    it('replaces the value of an existing key', async () => {
      await cache.set('k', 'first');

      await cache.set('k', 'second');

      await expect(cache.get('k')).resolves.toBe('second');
    });

    it('keeps an entry until its TTL runs out, then forgets it', async () => {
      await cache.set('short', 'lived', { ttlMs: 400 });

      await backend.advance(150);
      await expect(cache.get('short')).resolves.toBe('lived');

      await backend.advance(400);
      await expect(cache.get('short')).resolves.toBeNull();
    });

    it('keeps an entry without TTL', async () => {
      await cache.set('forever', 'yes');

      await backend.advance(600);

      await expect(cache.get('forever')).resolves.toBe('yes');
    });

    it('refuses a TTL that is not positive', async () => {
      await expect(cache.set('k', 'v', { ttlMs: 0 })).rejects.toThrow(RangeError);
    });

    it('stores with setIfAbsent only when the key is absent', async () => {
      const first = await cache.setIfAbsent('lock', 'owner-a');
      const second = await cache.setIfAbsent('lock', 'owner-b');

      expect([first, second]).toEqual([true, false]);
      await expect(cache.get('lock')).resolves.toBe('owner-a');
    });

    it('lets exactly one of 20 concurrent setIfAbsent calls win', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => cache.setIfAbsent('contended', `caller-${i}`, { ttlMs: 60_000 })),
      );

      const winners = results.flatMap((won, i) => (won ? [i] : []));
      expect(winners).toHaveLength(1);
      await expect(cache.get('contended')).resolves.toBe(`caller-${winners[0]}`);
    });

    it('lets setIfAbsent store again once the earlier entry expired', async () => {
      await cache.setIfAbsent('reservation', 'first', { ttlMs: 200 });

      await backend.advance(400);

      await expect(cache.setIfAbsent('reservation', 'second', { ttlMs: 200 })).resolves.toBe(true);
    });

    it('deletes a key and reports whether it existed', async () => {
      await cache.set('gone', 'soon');

      const deleted = await cache.delete('gone');
      const deletedAgain = await cache.delete('gone');

      expect([deleted, deletedAgain]).toEqual([true, false]);
      await expect(cache.get('gone')).resolves.toBeNull();
    });

    it('keeps caches with different key prefixes apart', async () => {
      const other = backend.cacheFor(backend.uniquePrefix());
      await cache.set('shared-name', 'mine');

      await expect(other.get('shared-name')).resolves.toBeNull();
      await expect(other.setIfAbsent('shared-name', 'theirs')).resolves.toBe(true);
      await expect(cache.get('shared-name')).resolves.toBe('mine');
    });

    it('notifies the expiry of a key under the watched prefix, with the key as the caller named it', async () => {
      const expired: string[] = [];
      await cache.onExpired('reservation:', (key) => expired.push(key));

      await cache.set('reservation:42', 'held', { ttlMs: 100 });
      await backend.advance(200);

      await vi.waitFor(() => expect(expired).toEqual(['reservation:42']), WAIT);
    });

    it('does not notify expiries of other key prefixes of the same cache', async () => {
      const expired: string[] = [];
      await cache.onExpired('reservation:', (key) => expired.push(key));

      await cache.set('session:1', 'x', { ttlMs: 100 });
      await cache.set('reservation:1', 'x', { ttlMs: 300 });
      await backend.advance(400);

      await vi.waitFor(() => expect(expired).toEqual(['reservation:1']), WAIT);
    });

    it('does not notify expiries in another cache namespace', async () => {
      const expired: string[] = [];
      const other = backend.cacheFor(backend.uniquePrefix());
      await cache.onExpired('reservation:', (key) => expired.push(key));

      await other.set('reservation:theirs', 'x', { ttlMs: 100 });
      await cache.set('reservation:mine', 'x', { ttlMs: 300 });
      await backend.advance(400);

      await vi.waitFor(() => expect(expired).toEqual(['reservation:mine']), WAIT);
    });

    it('stops notifying once the handler is removed', async () => {
      const expired: string[] = [];
      const witness: string[] = [];
      const remove = await cache.onExpired('reservation:', (key) => expired.push(key));
      await cache.onExpired('witness:', (key) => witness.push(key));

      await remove();
      await cache.set('reservation:1', 'x', { ttlMs: 100 });
      await cache.set('witness:1', 'x', { ttlMs: 300 });
      await backend.advance(400);

      await vi.waitFor(() => expect(witness).toEqual(['witness:1']), WAIT);
      expect(expired).toEqual([]);
    });

    it('answers ping while open and refuses commands once closed', async () => {
      await expect(cache.ping()).resolves.toBeUndefined();

      await cache.close();

      await expect(cache.get('k')).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(cache.ping()).rejects.toBeInstanceOf(CacheUnavailableError);
    });
  });
}
