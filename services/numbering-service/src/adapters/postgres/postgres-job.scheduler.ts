import type pg from 'pg';
import type { Clock } from '@sms/kernel';
import type { Logger } from '@sms/logging';

/** One periodic job: idempotent, so a rerun after a crash or a missed tick does no harm. */
export interface ScheduledJob {
  /** Stable name: part of the advisory-lock key and of the metrics labels. */
  readonly name: string;
  readonly intervalMs: number;
  /** Does the job's work as of `now`; answers how many items it handled. */
  run(now: Date): Promise<number>;
}

/** What one attempt did: ran (with the item count), or skipped because another instance holds the job's lock. */
export type JobRunOutcome = { readonly status: 'ran'; readonly handled: number } | { readonly status: 'skipped' };

export interface JobSchedulerOptions {
  /** Pool the advisory locks are taken on (one dedicated connection per running job). */
  readonly pool: pg.Pool;
  /** Part of every lock key, so two services (or two test schemas) sharing a database never block each other. */
  readonly lockNamespace: string;
  readonly jobs: readonly ScheduledJob[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called after each attempt (metrics). */
  readonly onOutcome?: (job: string, outcome: JobRunOutcome | 'failed') => void;
}

/**
 * Runs each job at its interval. Every run first takes a session advisory lock for the job on a dedicated
 * connection (`pg_try_advisory_lock`): when another replica holds it, this one skips the tick instead of
 * waiting, so the work is done by one instance at a time. The lock goes with the connection, so a replica
 * that dies mid-run frees it. Ticks do not overlap within one instance either.
 */
export class PostgresJobScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<JobRunOutcome | 'failed'>>();
  private stopped = true;

  constructor(private readonly options: JobSchedulerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const job of this.options.jobs) this.schedule(job);
  }

  /** Stops the timers and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.running.values()]);
  }

  /** One attempt of the named job now (the timers call this; tests and tools may too). */
  async runOnce(name: string): Promise<JobRunOutcome> {
    const job = this.options.jobs.find((j) => j.name === name);
    if (job === undefined) throw new Error(`no scheduled job named ${name}`);
    return this.attempt(job);
  }

  private schedule(job: ScheduledJob): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      if (this.running.has(job.name)) {
        this.schedule(job);
        return;
      }
      const run = this.attempt(job).catch((error: unknown) => {
        this.options.logger.error({ err: error, job: job.name }, 'scheduled job failed');
        this.options.onOutcome?.(job.name, 'failed');
        return 'failed' as const;
      });
      this.running.set(job.name, run);
      void run.finally(() => {
        this.running.delete(job.name);
        this.schedule(job);
      });
    }, job.intervalMs);
    timer.unref();
    this.timers.set(job.name, timer);
  }

  private async attempt(job: ScheduledJob): Promise<JobRunOutcome> {
    const key = `${this.options.lockNamespace}:${job.name}`;
    const client = await this.options.pool.connect();
    let locked = false;
    try {
      const taken = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
      locked = taken.rows[0]?.locked === true;
      if (!locked) {
        this.options.onOutcome?.(job.name, { status: 'skipped' });
        return { status: 'skipped' };
      }
      const handled = await job.run(this.options.clock.now());
      const outcome: JobRunOutcome = { status: 'ran', handled };
      this.options.onOutcome?.(job.name, outcome);
      if (handled > 0) this.options.logger.info({ job: job.name, handled }, 'scheduled job handled items');
      return outcome;
    } finally {
      let broken = false;
      if (locked) {
        broken = await client
          .query('SELECT pg_advisory_unlock(hashtext($1))', [key])
          .then(() => false)
          .catch(() => true);
      }
      // A connection whose unlock failed may still hold the lock: destroy it rather than pool it.
      client.release(broken);
    }
  }
}
