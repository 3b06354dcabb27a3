import { describe, expect, it } from 'vitest';
import { LocalTokenBucketRateLimiter } from '../../../src/adapters/redis/local-token-bucket.rate-limiter.js';

const limit = { messagesPerSecond: 10, burst: 20 };
const t0 = new Date('2026-04-18T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('LocalTokenBucketRateLimiter', () => {
  it('allows up to the burst and then tells how long to wait', async () => {
    const limiter = new LocalTokenBucketRateLimiter();
    await limiter.tryAcquire('t', 20, limit, t0);

    expect(await limiter.tryAcquire('t', 5, limit, t0)).toEqual({ allowed: false, retryAfterMs: 500 });
  });

  it('refills over time', async () => {
    const limiter = new LocalTokenBucketRateLimiter();
    await limiter.tryAcquire('t', 20, limit, t0);

    expect(await limiter.tryAcquire('t', 5, limit, at(500))).toEqual({ allowed: true });
  });

  it('lets a request larger than the burst through a full bucket and goes into debt', async () => {
    const limiter = new LocalTokenBucketRateLimiter();

    expect(await limiter.tryAcquire('t', 100, limit, t0)).toEqual({ allowed: true });
    expect(await limiter.tryAcquire('t', 1, limit, at(1000))).toEqual({ allowed: false, retryAfterMs: 7100 });
  });

  it('forgets the least recently used tenant beyond its capacity, which then starts with a full bucket', async () => {
    const limiter = new LocalTokenBucketRateLimiter(2);
    await limiter.tryAcquire('a', 20, limit, t0);
    await limiter.tryAcquire('b', 1, limit, t0);
    await limiter.tryAcquire('c', 1, limit, t0);

    expect(await limiter.tryAcquire('a', 20, limit, t0)).toEqual({ allowed: true });
  });
});
