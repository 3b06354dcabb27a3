import { ManualClock } from '@sms/kernel';
import { InMemoryResolutionCache } from '../../../src/application/testing/in-memory-resolution-cache.js';
import { describeResolutionCacheContract } from '../../contract/resolution-cache.contract.js';

describeResolutionCacheContract('in memory', () => {
  const clock = new ManualClock('2026-03-01T00:00:00.000Z');
  return Promise.resolve({
    cache: (ttlMs: number) => Promise.resolve(new InMemoryResolutionCache(clock, ttlMs)),
    pass: (ms: number) => Promise.resolve(clock.advance(ms)),
    cleanup: () => Promise.resolve(),
  });
});
