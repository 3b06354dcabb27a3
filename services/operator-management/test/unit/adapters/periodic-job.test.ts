import { describe, expect, it } from 'vitest';
import { periodicJob } from '../../../src/adapters/jobs/periodic-job.js';

describe('periodicJob', () => {
  it('never runs two runs at once: a run asked for during another joins it', async () => {
    let running = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const job = periodicJob({
      intervalMs: 60_000,
      onError: () => undefined,
      task: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
      },
    });
    const first = job.runNow();
    const second = job.runNow();
    release();
    await Promise.all([first, second]);
    expect(most).toBe(1);
  });

  it('reports a failing run and keeps going', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const job = periodicJob({
      intervalMs: 60_000,
      onError: (e) => errors.push(e),
      task: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
    });
    await job.runNow();
    await job.runNow();
    expect([calls, errors.length]).toEqual([2, 1]);
  });

  it('refuses a non-positive interval', () => {
    expect(() => periodicJob({ intervalMs: 0, task: () => Promise.resolve(), onError: () => undefined })).toThrow(RangeError);
  });
});
