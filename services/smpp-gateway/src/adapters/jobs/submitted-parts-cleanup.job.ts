import type { Kysely } from 'kysely';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { tryWithAdvisoryLock } from '@sms/db';
import type { AdvisoryLockOutcome } from '@sms/db';
import type { Logger } from '@sms/logging';
import type { PurgeReport, PurgeSubmittedParts } from '../../application/purge-submitted-parts.use-case.js';

export interface SubmittedPartsCleanupOptions {
  /** The pool the advisory lock is taken on. */
  readonly db: Kysely<unknown>;
  /** Part of the lock name: two schemas sharing a database never block each other. */
  readonly schema: string;
  readonly purge: PurgeSubmittedParts;
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Where `smpp_submitted_parts_purged_total` and `smpp_submitted_parts_cleanup_last_success_timestamp_seconds` are registered. */
  readonly registry?: Registry;
}

/**
 * Runs the `submitted_parts` cleanup every `intervalMs` (and once at start), once per cluster:
 * every replica schedules it, each run first takes the PostgreSQL advisory lock
 * `smpp-gateway:<schema>:submitted-parts-cleanup` and a replica that finds it held skips that run.
 * Runs never overlap within a replica; a failed run is logged and the schedule goes on; `stop()`
 * ends a run between two batches and waits for it.
 */
export class SubmittedPartsCleanupJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  // Asked by stop(): a run in progress ends after its current batch.
  private stopRequested = false;
  private readonly purged: Counter;
  private readonly lastSuccess: Gauge;

  constructor(private readonly options: SubmittedPartsCleanupOptions) {
    const registers = options.registry ? [options.registry] : [];
    this.purged = new Counter({
      name: 'smpp_submitted_parts_purged_total',
      help: 'Rows of submitted_parts (SMSC id → message map) deleted by the cleanup after their retention',
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'smpp_submitted_parts_cleanup_last_success_timestamp_seconds',
      help: 'When a submitted_parts cleanup run (by this replica) last finished without error',
      registers,
    });
  }

  get lockName(): string {
    return `smpp-gateway:${this.options.schema}:submitted-parts-cleanup`;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run now (after any run in progress of this replica): `skipped` when another replica holds the lock. Throws on infrastructure faults. */
  async runOnce(): Promise<AdvisoryLockOutcome<PurgeReport>> {
    await this.running?.catch(() => undefined);
    const run = this.run();
    this.running = run;
    return run;
  }

  private async run(): Promise<AdvisoryLockOutcome<PurgeReport>> {
    const outcome = await tryWithAdvisoryLock(this.options.db, this.lockName, () => this.options.purge.execute({ shouldStop: () => this.stopRequested }));
    if (outcome.status === 'ran') {
      const report = outcome.value;
      this.purged.inc(report.purged);
      this.lastSuccess.set(Date.now() / 1000);
      if (report.purged > 0 || !report.complete) {
        this.options.logger.info({ purged: report.purged, batches: report.batches, complete: report.complete, cutoff: report.cutoff.toISOString() }, 'submitted parts cleaned up');
      }
    }
    return outcome;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.run()
        .catch((error: unknown) => this.options.logger.error({ err: error, job: 'submitted-parts-cleanup' }, 'scheduled job failed'))
        .finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref();
  }
}
