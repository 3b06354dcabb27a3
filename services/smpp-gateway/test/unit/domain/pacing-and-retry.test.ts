import { describe, expect, it } from 'vitest';
import { SMPP_STATUS, backoffDelay, decideAfterSubmit, smppErrorCode } from '../../../src/domain/submit-retry-policy.js';
import { SubmitWindow } from '../../../src/domain/submit-window.js';
import { TokenBucket } from '../../../src/domain/token-bucket.js';

describe('token bucket pacing', () => {
  it('lets a burst through at once, then asks to wait one interval per message', () => {
    const bucket = new TokenBucket(10, 2, 0);
    expect([bucket.take(0), bucket.take(0)]).toEqual([0, 0]);
    expect(bucket.take(0)).toBe(100);
  });

  it('refills with time and never beyond the burst', () => {
    const bucket = new TokenBucket(10, 2, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.take(100)).toBe(0);
    expect(bucket.available(10_000)).toBe(2);
  });

  it('sends no more than rate × time + burst over a long run', () => {
    const bucket = new TokenBucket(50, 5, 0);
    let sent = 0;
    for (let now = 0; now <= 2000; now += 1) while (bucket.take(now) === 0) sent += 1;
    expect(sent).toBe(5 + 100);
  });

  it('ignores a clock that goes backwards', () => {
    const bucket = new TokenBucket(1, 1, 1000);
    bucket.take(1000);
    expect(bucket.take(500)).toBe(1000);
  });

  it('refuses a non-positive rate or burst', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0, 0)).toThrow(RangeError);
  });
});

describe('submit window', () => {
  it('holds at most its size of outstanding submits', () => {
    const window = new SubmitWindow(2);
    expect([window.open(1), window.open(2), window.open(3)]).toEqual([true, true, false]);
    expect(window.inFlight).toBe(2);
  });

  it('frees a slot when the response arrives and ignores stray responses', () => {
    const window = new SubmitWindow(1);
    window.open(1);
    expect(window.close(1)).toBe(true);
    expect(window.close(1)).toBe(false);
    expect(window.hasRoom()).toBe(true);
  });

  it('refuses the same sequence number twice', () => {
    const window = new SubmitWindow(5);
    window.open(7);
    expect(window.open(7)).toBe(false);
  });

  it('answers what was outstanding when reset after a lost bind', () => {
    const window = new SubmitWindow(5);
    window.open(1);
    window.open(2);
    expect(window.reset()).toEqual([1, 2]);
    expect(window.inFlight).toBe(0);
  });

  it('refuses a size below one', () => {
    expect(() => new SubmitWindow(0)).toThrow(RangeError);
  });
});

describe('submit retry policy', () => {
  const policy = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 350, multiplier: 2 };

  it('accepts ESME_ROK', () => {
    expect(decideAfterSubmit(SMPP_STATUS.ESME_ROK, 1, policy)).toEqual({ kind: 'accepted' });
  });

  it.each([SMPP_STATUS.ESME_RTHROTTLED, SMPP_STATUS.ESME_RMSGQFUL, SMPP_STATUS.ESME_RSYSERR])('retries status 0x%s with exponential backoff', (status) => {
    expect([1, 2, 3].map((attempt) => decideAfterSubmit(status, attempt, policy))).toEqual([
      { kind: 'retry', delayMs: 100 },
      { kind: 'retry', delayMs: 200 },
      { kind: 'retry', delayMs: 350 },
    ]);
  });

  it('gives up after the last attempt, handing the message back', () => {
    expect(decideAfterSubmit(SMPP_STATUS.ESME_RTHROTTLED, 4, policy)).toEqual({ kind: 'give-up', errorCode: 'SMPP.0x58' });
  });

  it('rejects at once on a status retrying cannot fix', () => {
    expect(decideAfterSubmit(SMPP_STATUS.ESME_RINVDSTADR, 1, policy)).toEqual({ kind: 'rejected', errorCode: 'SMPP.0x0B' });
  });

  it('uses the default policy when none is given', () => {
    expect(decideAfterSubmit(SMPP_STATUS.ESME_RMSGQFUL, 1)).toEqual({ kind: 'retry', delayMs: 200 });
  });

  it('formats error codes with two hex digits at least', () => {
    expect(smppErrorCode(0x14)).toBe('SMPP.0x14');
    expect(smppErrorCode(0x401)).toBe('SMPP.0x401');
  });

  it('caps the backoff', () => {
    expect(backoffDelay(20, policy)).toBe(350);
  });
});
