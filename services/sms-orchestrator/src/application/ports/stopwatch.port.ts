/** Seconds since the lap started. */
export type StopwatchLap = () => number;

/**
 * A monotonic timer for stage durations (the adapter uses `performance.now()`; a wall clock could
 * jump). Injected so durations are predictable in tests.
 */
export interface Stopwatch {
  start(): StopwatchLap;
}
