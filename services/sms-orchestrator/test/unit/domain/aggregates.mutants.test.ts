import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertRetryPolicy, decideRetry, DEFAULT_RETRY_POLICY } from '../../../src/domain/retry-policy.js';
import { checkPartLimit, segment } from '../../../src/domain/segmentation.js';
import type { DeliveryReport } from '../../../src/domain/sms-message.js';
import { orchestratorErrors } from '../../../src/domain/sms-orchestrator-errors.js';
import { ACCEPTED_AT, ROUTE, acceptedMessage, messageIn } from '../../support/messages.js';

// Behaviours the first mutation run (docs/mutation-testing.md) showed no test pinned down.

const LATER = new Date('2026-04-18T10:00:05.000Z');

const report = (extra: Partial<DeliveryReport> & Pick<DeliveryReport, 'status'>): DeliveryReport => ({
  occurredAt: LATER,
  smscMessageId: null,
  errorCode: null,
  errorReason: null,
  ...extra,
});

describe('SmsMessage', () => {
  it('is due for processing when accepted and no retry is scheduled', () => {
    expect(acceptedMessage().isDueForProcessing(ACCEPTED_AT)).toBe(true);
  });

  it('records the attempt that led to a rejection', () => {
    const message = acceptedMessage();
    message.reject('ORCH.NO_ROUTE', 'no route', 3, LATER);
    expect(message.pipelineAttempts).toBe(3);
  });

  it('says why a message expired before dispatch', () => {
    const message = acceptedMessage();
    message.expireBeforeDispatch(2, LATER);
    expect(message.toSnapshot()).toMatchObject({
      status: 'expired',
      errorCode: 'ORCH.VALIDITY_ELAPSED',
      errorReason: 'validity period elapsed before dispatch',
    });
  });

  it('refuses to schedule a retry for a message that left accepted, naming both statuses', () => {
    const scheduled = messageIn('routed').scheduleRetry(2, LATER, LATER);
    expect(scheduled).toEqual({
      ok: false,
      error: {
        code: 'ORCH.INVALID_TRANSITION',
        from: 'routed',
        to: 'accepted',
        message: 'a message cannot go from routed to accepted',
      },
    });
  });

  it('ignores an error code that comes with a delivered receipt', () => {
    const message = messageIn('submitted');
    const applied = message.applyDeliveryReport(report({ status: 'delivered', errorCode: '000', errorReason: 'ok' }), LATER);
    expect(applied.ok && applied.value.kind === 'applied' && applied.value.change).toMatchObject({ errorCode: null, reason: null });
    expect(message.toSnapshot()).toMatchObject({ errorCode: null, errorReason: null });
  });

  it('keeps the error code of a failure report that gives no reason', () => {
    const message = messageIn('submitted');
    message.applyDeliveryReport(report({ status: 'undelivered', errorCode: '0x00000045' }), LATER);
    expect(message.toSnapshot()).toMatchObject({ status: 'undelivered', errorCode: '0x00000045', errorReason: null });
  });

  it('keeps the reason of a failure report that gives no error code', () => {
    const message = messageIn('submitted');
    message.applyDeliveryReport(report({ status: 'failed', errorReason: 'handset refused' }), LATER);
    expect(message.toSnapshot()).toMatchObject({ status: 'failed', errorCode: null, errorReason: 'handset refused' });
  });

  it('keeps the route it was restored with', () => {
    expect(messageIn('submitted').toSnapshot().route).toEqual(ROUTE);
  });
});

describe('retry policy limits', () => {
  it('accepts the smallest policy: 1 ms base and ceiling, a single attempt', () => {
    const smallest = { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 1 };
    expect(assertRetryPolicy(smallest)).toBe(smallest);
  });

  it('explains an attempt number or a random draw out of range', () => {
    expect(() => decideRetry(DEFAULT_RETRY_POLICY, 0, 0.5)).toThrow('failedAttempt must be a whole number ≥ 1');
    expect(() => decideRetry(DEFAULT_RETRY_POLICY, 1, 1)).toThrow('random must be in [0, 1)');
  });
});

describe('part limit', () => {
  it('accepts the limits 1 and 255 and names the allowed range when refusing 256', () => {
    const oneSegment = segment('hello');
    expect(checkPartLimit(oneSegment, 1).ok).toBe(true);
    expect(checkPartLimit(oneSegment, 255).ok).toBe(true);
    expect(() => checkPartLimit(oneSegment, 256)).toThrow('maximum parts per message must be a whole number from 1 to 255, got 256');
  });
});

describe('error registry', () => {
  const errorsDoc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

  it('holds the codes the pipeline and the API answer with', () => {
    expect(Object.keys(orchestratorErrors)).toEqual(
      expect.arrayContaining(['ORCH.VALIDATION_FAILED', 'ORCH.RETRIES_EXHAUSTED', 'ORCH.INVALID_TRANSITION']),
    );
  });

  it('documents the cause of every code, word for word, in docs/errors.md', () => {
    for (const [code, definition] of Object.entries(orchestratorErrors)) {
      expect(definition.cause, code).not.toBe('');
      expect(errorsDoc, code).toContain(`| ${definition.cause} |`);
    }
  });
});
