import type { Logger } from '@sms/logging';

/**
 * Logs a recurring fault (a dependency down) once per interval instead of once per request, with
 * how many occurrences were not logged in between.
 */
export class ThrottledWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs: number,
  ) {}

  warn(error: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    this.logger.warn({ err: error, suppressed: this.suppressed }, message);
    this.lastAt = now;
    this.suppressed = 0;
  }
}
