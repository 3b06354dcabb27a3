import { ManualClock } from '@sms/kernel';
import { describe, expect, it } from 'vitest';
import type { SubmittedPartsPurger } from '../../../src/application/ports/submitted-parts.purger.port.js';
import { PurgeSubmittedParts } from '../../../src/application/purge-submitted-parts.use-case.js';

const NOW = '2026-04-18T10:00:00.000Z';
const DAY = 86_400_000;

/** Parts by submission time; deletes the oldest first, as the Postgres purger does. */
class InMemoryPurger implements SubmittedPartsPurger {
  readonly calls: Array<{ cutoff: Date; limit: number }> = [];
  constructor(public submittedAt: Date[]) {}
  deleteSubmittedBefore(cutoff: Date, limit: number): Promise<number> {
    this.calls.push({ cutoff, limit });
    const old = this.submittedAt.filter((t) => t < cutoff).sort((a, b) => a.getTime() - b.getTime()).slice(0, limit);
    this.submittedAt = this.submittedAt.filter((t) => !old.includes(t));
    return Promise.resolve(old.length);
  }
}

const daysAgo = (days: number) => new Date(new Date(NOW).getTime() - days * DAY);

describe('purging submitted parts past their retention', () => {
  it('deletes every part submitted before the retention window, in batches, and keeps the recent ones', async () => {
    const purger = new InMemoryPurger([...Array.from({ length: 7 }, (_, i) => daysAgo(8 + i)), daysAgo(6), daysAgo(1)]);
    const purge = new PurgeSubmittedParts({ purger, clock: new ManualClock(NOW), retention: { retentionMs: 7 * DAY, batchSize: 3, maxBatchesPerRun: 10 } });

    const report = await purge.execute();

    expect(report).toEqual({ cutoff: daysAgo(7), purged: 7, batches: 3, complete: true });
    expect(purger.submittedAt).toEqual([daysAgo(6), daysAgo(1)]);
    expect(purger.calls.map((c) => c.limit)).toEqual([3, 3, 3]);
  });

  it('stops at the batch limit of a run and reports the work unfinished', async () => {
    const purger = new InMemoryPurger(Array.from({ length: 10 }, (_, i) => daysAgo(8 + i)));
    const purge = new PurgeSubmittedParts({ purger, clock: new ManualClock(NOW), retention: { retentionMs: 7 * DAY, batchSize: 2, maxBatchesPerRun: 3 } });

    expect(await purge.execute()).toEqual({ cutoff: daysAgo(7), purged: 6, batches: 3, complete: false });
    expect(purger.submittedAt).toHaveLength(4);
  });

  it('stops between batches when asked to', async () => {
    const purger = new InMemoryPurger(Array.from({ length: 10 }, (_, i) => daysAgo(8 + i)));
    const purge = new PurgeSubmittedParts({ purger, clock: new ManualClock(NOW), retention: { retentionMs: 7 * DAY, batchSize: 2, maxBatchesPerRun: 100 } });
    let asked = 0;

    const report = await purge.execute({ shouldStop: () => ++asked > 2 });

    expect(report).toMatchObject({ purged: 4, batches: 2, complete: false });
  });

  it('refuses a retention that is not positive or a batch size that is not a positive integer', () => {
    const purger = new InMemoryPurger([]);
    const clock = new ManualClock(NOW);
    expect(() => new PurgeSubmittedParts({ purger, clock, retention: { retentionMs: 0, batchSize: 10, maxBatchesPerRun: 1 } })).toThrow(/retentionMs/);
    expect(() => new PurgeSubmittedParts({ purger, clock, retention: { retentionMs: DAY, batchSize: 0.5, maxBatchesPerRun: 1 } })).toThrow(/batchSize/);
    expect(() => new PurgeSubmittedParts({ purger, clock, retention: { retentionMs: DAY, batchSize: 10, maxBatchesPerRun: 0 } })).toThrow(/maxBatchesPerRun/);
  });
});
