import type { Clock } from '@sms/kernel';
import type { SubmittedPartsPurger } from './ports/submitted-parts.purger.port.js';

export interface SubmittedPartsRetention {
  /**
   * How long a submitted part is kept for its delivery receipt to find it. Longer than the
   * longest validity period (72 h) plus the receipt delays of the SMSCs: a receipt arriving after
   * its part is gone is dropped as `unmatched`.
   */
  readonly retentionMs: number;
  /** Parts deleted per transaction (short transactions, short locks). */
  readonly batchSize: number;
  /** Batches per run at most, so one run stays bounded; the next run goes on. */
  readonly maxBatchesPerRun: number;
}

export interface PurgeReport {
  readonly cutoff: Date;
  readonly purged: number;
  readonly batches: number;
  /** False when the run stopped with parts older than the cutoff left (batch limit reached, or asked to stop). */
  readonly complete: boolean;
}

/**
 * The cleanup of `submitted_parts`: deletes the parts submitted before the retention window, in
 * batches, until none is left, the run's batch limit is reached, or `shouldStop` says so (between
 * batches). Idempotent: running it late, twice or concurrently with receipts is harmless (a receipt
 * only ever looks for recent parts).
 */
export class PurgeSubmittedParts {
  constructor(
    private readonly deps: { readonly purger: SubmittedPartsPurger; readonly clock: Clock; readonly retention: SubmittedPartsRetention },
  ) {
    const { retentionMs, batchSize, maxBatchesPerRun } = deps.retention;
    if (!(retentionMs > 0) || !Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(maxBatchesPerRun) || maxBatchesPerRun < 1) {
      throw new Error('submitted parts retention: retentionMs must be positive, batchSize and maxBatchesPerRun positive integers');
    }
  }

  async execute(options: { readonly shouldStop?: () => boolean } = {}): Promise<PurgeReport> {
    const { retentionMs, batchSize, maxBatchesPerRun } = this.deps.retention;
    const cutoff = new Date(this.deps.clock.now().getTime() - retentionMs);
    let purged = 0;
    let batches = 0;
    while (batches < maxBatchesPerRun) {
      if (options.shouldStop?.() === true) return { cutoff, purged, batches, complete: false };
      const deleted = await this.deps.purger.deleteSubmittedBefore(cutoff, batchSize);
      batches += 1;
      purged += deleted;
      if (deleted < batchSize) return { cutoff, purged, batches, complete: true };
    }
    return { cutoff, purged, batches, complete: false };
  }
}
