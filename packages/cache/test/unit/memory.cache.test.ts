import { createMemoryCache } from '@sms/cache';
import type { Cache } from '@sms/cache';
import { ManualClock } from '@sms/kernel';
import { uniqueName } from '@sms/testing';
import { describeCacheContract } from '../contract/cache.contract.js';

describeCacheContract('memory', () => {
  const clock = new ManualClock();
  const root = createMemoryCache({ clock, sweepIntervalMs: 0 });
  const handedOut: Cache[] = [root];
  return Promise.resolve({
    cacheFor(keyPrefix: string) {
      const cache = root.withKeyPrefix(keyPrefix);
      handedOut.push(cache);
      return cache;
    },
    uniquePrefix: () => `${uniqueName('cache')}:`,
    advance(ms: number) {
      clock.advance(ms);
      root.tick();
      return Promise.resolve();
    },
    async cleanup() {
      await Promise.all(handedOut.map((cache) => cache.close()));
    },
  });
});
