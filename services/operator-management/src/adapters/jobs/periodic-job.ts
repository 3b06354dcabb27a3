/** Something run every `intervalMs` until stopped. */
export interface PeriodicJob {
  /** Runs the task now (also while the timer runs; runs never overlap). */
  runNow(): Promise<void>;
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (after each run ends, so runs never overlap). A failing run is
 * reported to `onError` and the next one happens as planned. The timer does not keep the process
 * alive on its own.
 */
export function periodicJob(options: {
  readonly intervalMs: number;
  readonly task: () => Promise<void>;
  readonly onError: (error: unknown) => void;
}): PeriodicJob {
  if (!Number.isFinite(options.intervalMs) || options.intervalMs <= 0) throw new RangeError('intervalMs must be positive');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const run = (): Promise<void> => {
    running ??= options
      .task()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };

  return {
    runNow: run,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
