import type { Logger } from '@sms/logging';

/**
 * Runs `task` every `intervalMs`, never two runs at once (a slow run delays the next one), and
 * logs a failed run without stopping the schedule. `stop()` waits for the run in progress.
 */
export class IntervalJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  start(options: { readonly runNow?: boolean } = {}): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(options.runNow === true ? 0 : this.intervalMs);
  }

  /** Runs the task once now (after any run in progress), outside the schedule. */
  async runOnce(): Promise<void> {
    await this.running;
    this.running = this.execute();
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.execute().finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async execute(): Promise<void> {
    try {
      await this.task();
    } catch (error) {
      this.logger.error({ err: error, job: this.name }, 'scheduled job failed');
    }
  }
}
