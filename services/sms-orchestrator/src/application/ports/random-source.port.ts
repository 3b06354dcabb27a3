/** Uniform random numbers in [0, 1) for retry jitter (`Math.random` in production); injected so tests are exact. */
export interface RandomSource {
  next(): number;
}
