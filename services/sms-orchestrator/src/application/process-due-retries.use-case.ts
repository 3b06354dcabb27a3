import type { Clock } from '@sms/kernel';
import type { DueMessageFinder, MessageRef } from './ports/due-message.finder.port.js';
import type { ProcessMessage, ProcessOutcome } from './process-message.use-case.js';

export interface DueRetriesReport {
  readonly found: number;
  /** How many runs ended each way (`not-found` when the message vanished in between). */
  readonly outcomes: Readonly<Partial<Record<ProcessOutcome['kind'] | 'not-found', number>>>;
  /** Messages whose run threw (an infrastructure fault); they stay due and are picked up next time. */
  readonly failures: readonly { readonly ref: MessageRef; readonly error: unknown }[];
}

/**
 * The retry sweeper, run on a short interval: finds messages whose scheduled retry is due and runs
 * the pipeline for each. A run that throws does not stop the others; it is reported, and the
 * message, still due, is found again by the next sweep.
 */
export class ProcessDueRetries {
  constructor(
    private readonly deps: { readonly finder: DueMessageFinder; readonly processMessage: Pick<ProcessMessage, 'execute'>; readonly clock: Clock },
  ) {}

  async execute(options: { readonly limit: number }): Promise<DueRetriesReport> {
    const due = await this.deps.finder.findDue(this.deps.clock.now(), options.limit);
    const outcomes: Partial<Record<ProcessOutcome['kind'] | 'not-found', number>> = {};
    const failures: { ref: MessageRef; error: unknown }[] = [];
    for (const ref of due) {
      try {
        const result = await this.deps.processMessage.execute(ref);
        const kind = result.ok ? result.value.kind : 'not-found';
        outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      } catch (error) {
        failures.push({ ref, error });
      }
    }
    return { found: due.length, outcomes, failures };
  }
}
