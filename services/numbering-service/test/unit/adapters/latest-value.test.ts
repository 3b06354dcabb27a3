import { describe, expect, it } from 'vitest';
import { latest } from '../../../src/adapters/observability/numbering-metrics.js';

describe('inventory counts shared between scrapes', () => {
  const counter = () => {
    let reads = 0;
    let now = 0;
    return {
      read: () => Promise.resolve((reads += 1)),
      reads: () => reads,
      now: () => now,
      advance: (ms: number) => (now += ms),
    };
  };

  it('reads once while the value is younger than the maximum age', async () => {
    const c = counter();
    const get = latest(c.read, 15_000, c.now);

    const values = [await get(), await get(), (c.advance(14_999), await get())];

    expect([values, c.reads()]).toEqual([[1, 1, 1], 1]);
  });

  it('reads again once the value has reached the maximum age', async () => {
    const c = counter();
    const get = latest(c.read, 15_000, c.now);
    await get();
    c.advance(15_000);

    expect([await get(), c.reads()]).toEqual([2, 2]);
  });

  it('shares one read between concurrent callers', async () => {
    const c = counter();
    const get = latest(c.read, 15_000, c.now);

    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    expect(c.reads()).toBe(1);
  });

  it('does not keep a failed read: the next call reads again', async () => {
    let attempts = 0;
    const get = latest(() => ((attempts += 1) === 1 ? Promise.reject(new Error('database down')) : Promise.resolve('counts')), 15_000, () => 0);

    await expect(get()).rejects.toThrow('database down');
    expect(await get()).toBe('counts');
  });
});
