import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, assertRetryPolicy, backoffCeilingMs, decideRetry } from '../../../src/domain/retry-policy.js';
import type { RetryPolicy } from '../../../src/domain/retry-policy.js';

const policy: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 10_000, maxAttempts: 6 };

describe('backoffCeilingMs', () => {
  it('doubles from the base delay with each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffCeilingMs(policy, attempt))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never exceeds the maximum delay', () => {
    expect(backoffCeilingMs(policy, 5)).toBe(10_000);
    expect(backoffCeilingMs(policy, 2_000)).toBe(10_000);
  });
});

describe('decideRetry', () => {
  it('draws the delay uniformly below the ceiling (full jitter)', () => {
    expect(decideRetry(policy, 3, 0.5)).toEqual({ kind: 'retry', delayMs: 2_000 });
  });

  it('may retry at once when the draw is zero', () => {
    expect(decideRetry(policy, 1, 0)).toEqual({ kind: 'retry', delayMs: 0 });
  });

  it('stays below the ceiling for the largest draw', () => {
    expect(decideRetry(policy, 1, 0.999999)).toEqual({ kind: 'retry', delayMs: 999 });
  });

  it('caps the jittered delay at the maximum delay', () => {
    expect(decideRetry(policy, 5, 0.9)).toEqual({ kind: 'retry', delayMs: 9_000 });
  });

  it('retries after the second-to-last attempt', () => {
    expect(decideRetry(policy, 5, 0.1).kind).toBe('retry');
  });

  it('gives up once the last allowed attempt has failed', () => {
    expect(decideRetry(policy, 6, 0.1)).toEqual({ kind: 'give-up' });
  });

  it('gives up at once when only one attempt is allowed', () => {
    expect(decideRetry({ ...policy, maxAttempts: 1 }, 1, 0.1)).toEqual({ kind: 'give-up' });
  });

  it('refuses a random draw of 1 or more', () => {
    expect(() => decideRetry(policy, 1, 1)).toThrow(RangeError);
  });

  it('refuses a negative or NaN random draw', () => {
    expect(() => decideRetry(policy, 1, -0.1)).toThrow(RangeError);
    expect(() => decideRetry(policy, 1, Number.NaN)).toThrow(RangeError);
  });

  it('refuses an attempt number below one', () => {
    expect(() => decideRetry(policy, 0, 0.5)).toThrow(RangeError);
  });
});

describe('assertRetryPolicy', () => {
  it('accepts the default policy', () => {
    expect(assertRetryPolicy(DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY);
  });

  it('refuses a base delay below 1 ms', () => {
    expect(() => assertRetryPolicy({ ...policy, baseDelayMs: 0 })).toThrow('baseDelayMs');
  });

  it('refuses a maximum delay below the base delay', () => {
    expect(() => assertRetryPolicy({ ...policy, maxDelayMs: 999 })).toThrow('maxDelayMs');
  });

  it('refuses zero attempts', () => {
    expect(() => assertRetryPolicy({ ...policy, maxAttempts: 0 })).toThrow('maxAttempts');
  });

  it('refuses fractional settings', () => {
    expect(() => assertRetryPolicy({ ...policy, maxAttempts: 2.5 })).toThrow('maxAttempts');
  });
});
