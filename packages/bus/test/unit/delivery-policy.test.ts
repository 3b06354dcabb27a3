import { describe, expect, it } from 'vitest';
import { backoffDelay, deliveryPolicyFor, failureReason } from '../../src/delivery-policy.js';

describe('deliveryPolicyFor', () => {
  it('applies the port defaults', () => {
    const policy = deliveryPolicyFor({ durable: 'worker', subjects: ['a.b'] }, 'dlq');

    expect(policy).toEqual({
      maxDeliver: 5,
      backoffMs: [1000, 5000, 30_000],
      deadLetterSubject: 'dlq.worker',
      ackWaitMs: 30_000,
    });
  });

  it('refuses a durable name NATS would refuse', () => {
    expect(() => deliveryPolicyFor({ durable: 'a.b', subjects: ['a.b'] }, 'dlq')).toThrow(/durable name/);
  });

  it('refuses a subscription without subjects', () => {
    expect(() => deliveryPolicyFor({ durable: 'worker', subjects: [] }, 'dlq')).toThrow(/at least one subject/);
  });

  it('refuses a maxDeliver below one', () => {
    expect(() => deliveryPolicyFor({ durable: 'worker', subjects: ['a'], maxDeliver: 0 }, 'dlq')).toThrow(/maxDeliver/);
  });
});

describe('backoffDelay', () => {
  it('uses the delay of the failed attempt and repeats the last one', () => {
    const policy = deliveryPolicyFor({ durable: 'w', subjects: ['a'], backoffMs: [10, 20] }, 'dlq');

    expect([1, 2, 3, 7].map((attempt) => backoffDelay(policy, attempt))).toEqual([10, 20, 20, 20]);
  });
});

describe('failureReason', () => {
  it('names the error and keeps it on one line', () => {
    expect(failureReason(new TypeError('bad\r\ninput'))).toBe('TypeError: bad input');
  });
});
