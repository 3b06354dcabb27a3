import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES } from '../../../src/domain/message-status.js';
import type { DeliveryStatus, MessageStatus } from '../../../src/domain/message-status.js';
import { SmsMessage } from '../../../src/domain/sms-message.js';
import type { DeliveryReport } from '../../../src/domain/sms-message.js';
import { ACCEPTED_AT, ROUTE, acceptedMessage, messageIn } from '../../support/messages.js';

const LATER = new Date('2026-04-18T10:00:05.000Z');
const REPORTED_AT = new Date('2026-04-18T10:00:04.000Z');

const report = (status: DeliveryStatus, extra: Partial<DeliveryReport> = {}): DeliveryReport => ({
  status,
  occurredAt: REPORTED_AT,
  smscMessageId: null,
  errorCode: null,
  errorReason: null,
  ...extra,
});

describe('SmsMessage.accept', () => {
  it('starts accepted with one history entry, version 0 and no attempts', () => {
    const snapshot = acceptedMessage().toSnapshot();
    expect(snapshot).toMatchObject({
      status: 'accepted',
      history: [{ status: 'accepted', at: ACCEPTED_AT, errorCode: null, reason: null }],
      version: 0,
      pipelineAttempts: 0,
      nextAttemptAt: null,
      route: null,
      smscMessageId: null,
      errorCode: null,
    });
  });

  it('keeps the submission: destination, sender, body, encoding, segments and reference', () => {
    const snapshot = acceptedMessage({ body: 'سلام' }).toSnapshot();
    expect(snapshot).toMatchObject({
      to: '+93791234567',
      from: { kind: 'msisdn', value: '+93701234567' },
      body: 'سلام',
      encoding: 'UCS-2',
      segmentCount: 1,
      clientReference: 'otp-4711',
      callbackUrl: null,
    });
  });

  it('expires after the validity period', () => {
    const message = acceptedMessage({ validityPeriod: 600 });
    expect(message.expiresAt.toISOString()).toBe('2026-04-18T10:10:00.000Z');
  });

  it('restores exactly what it snapshots', () => {
    const snapshot = acceptedMessage({ callbackUrl: 'https://hooks.example.com/cb' }).toSnapshot();
    expect(SmsMessage.restore(snapshot).toSnapshot()).toEqual(snapshot);
  });
});

describe('SmsMessage pipeline transitions', () => {
  it('marks an accepted message routed with its route and attempt', () => {
    const message = acceptedMessage();
    const change = message.markRouted(ROUTE, 2, LATER);
    expect(change).toEqual({ ok: true, value: { from: 'accepted', to: 'routed', at: LATER, errorCode: null, reason: null } });
    expect(message.toSnapshot()).toMatchObject({ status: 'routed', route: ROUTE, pipelineAttempts: 2, nextAttemptAt: null, updatedAt: LATER });
  });

  it('rejects an accepted message with a reason code', () => {
    const message = acceptedMessage();
    message.reject('ORCH.SENDER_NOT_LEASED', 'lease ended', 1, LATER);
    expect(message.toSnapshot()).toMatchObject({ status: 'rejected', errorCode: 'ORCH.SENDER_NOT_LEASED', errorReason: 'lease ended' });
  });

  it('records the rejection in the status history', () => {
    const message = acceptedMessage();
    message.reject('ORCH.NO_ROUTE', 'no prefix rule', 1, LATER);
    expect(message.history.at(-1)).toEqual({ status: 'rejected', at: LATER, errorCode: 'ORCH.NO_ROUTE', reason: 'no prefix rule' });
  });

  it('expires an accepted message whose validity elapsed, with ORCH.VALIDITY_ELAPSED', () => {
    const message = acceptedMessage();
    message.expireBeforeDispatch(3, LATER);
    expect(message.toSnapshot()).toMatchObject({ status: 'expired', errorCode: 'ORCH.VALIDITY_ELAPSED', pipelineAttempts: 3 });
  });

  it('dead-letters an accepted message with ORCH.RETRIES_EXHAUSTED', () => {
    const message = acceptedMessage();
    message.deadLetter(4, 'routing engine unavailable', LATER);
    expect(message.toSnapshot()).toMatchObject({
      status: 'dead_lettered',
      errorCode: 'ORCH.RETRIES_EXHAUSTED',
      errorReason: 'routing engine unavailable',
      pipelineAttempts: 4,
    });
  });

  it('schedules a retry without changing the status or the history', () => {
    const message = acceptedMessage();
    const retryAt = new Date('2026-04-18T10:00:07.000Z');
    expect(message.scheduleRetry(1, retryAt, LATER).ok).toBe(true);
    expect(message.toSnapshot()).toMatchObject({ status: 'accepted', pipelineAttempts: 1, nextAttemptAt: retryAt });
    expect(message.history).toHaveLength(1);
  });

  it('clears the scheduled retry once routed', () => {
    const message = acceptedMessage();
    message.scheduleRetry(1, LATER, ACCEPTED_AT);
    message.markRouted(ROUTE, 2, LATER);
    expect(message.nextAttemptAt).toBeNull();
  });

  const pipelineMoves: ReadonlyArray<readonly [string, MessageStatus, (m: SmsMessage) => { ok: boolean }]> = [
    ['markRouted', 'routed', (m) => m.markRouted(ROUTE, 1, LATER)],
    ['reject', 'rejected', (m) => m.reject('ORCH.NO_ROUTE', 'x', 1, LATER)],
    ['expireBeforeDispatch', 'expired', (m) => m.expireBeforeDispatch(1, LATER)],
    ['deadLetter', 'dead_lettered', (m) => m.deadLetter(1, 'x', LATER)],
    ['scheduleRetry', 'accepted', (m) => m.scheduleRetry(1, LATER, LATER)],
  ];

  for (const [name, , move] of pipelineMoves) {
    for (const status of MESSAGE_STATUSES.filter((s) => s !== 'accepted')) {
      it(`refuses ${name} on a ${status} message and leaves it unchanged`, () => {
        const message = messageIn(status);
        const before = message.toSnapshot();
        const result = move(message);
        expect(result.ok).toBe(false);
        expect(message.toSnapshot()).toEqual(before);
      });
    }
  }

  it('explains an invalid transition', () => {
    expect(messageIn('delivered').markRouted(ROUTE, 1, LATER)).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_TRANSITION', from: 'delivered', to: 'routed', message: 'a message cannot go from delivered to routed' },
    });
  });
});

describe('SmsMessage.isDueForProcessing', () => {
  it('is due when accepted with no retry scheduled', () => {
    expect(acceptedMessage().isDueForProcessing(ACCEPTED_AT)).toBe(true);
  });

  it('is not due before its scheduled retry and due from that instant', () => {
    const message = acceptedMessage();
    message.scheduleRetry(1, LATER, ACCEPTED_AT);
    expect(message.isDueForProcessing(new Date(LATER.getTime() - 1))).toBe(false);
    expect(message.isDueForProcessing(LATER)).toBe(true);
  });

  it('is never due once routed', () => {
    expect(messageIn('routed').isDueForProcessing(LATER)).toBe(false);
  });
});

describe('SmsMessage.isValidityElapsed', () => {
  it('is false one millisecond before expiry and true at expiry', () => {
    const message = acceptedMessage({ validityPeriod: 60 });
    expect(message.isValidityElapsed(new Date(message.expiresAt.getTime() - 1))).toBe(false);
    expect(message.isValidityElapsed(message.expiresAt)).toBe(true);
  });
});

describe('SmsMessage.applyDeliveryReport', () => {
  it('moves routed to submitted and records the SMSC message id', () => {
    const message = messageIn('routed');
    const outcome = message.applyDeliveryReport(report('submitted', { smscMessageId: 'smsc-1' }), LATER);
    expect(outcome).toEqual({ ok: true, value: { kind: 'applied', change: { from: 'routed', to: 'submitted', at: REPORTED_AT, errorCode: null, reason: null } } });
    expect(message.toSnapshot()).toMatchObject({ status: 'submitted', smscMessageId: 'smsc-1', updatedAt: LATER });
  });

  it('dates the history entry with the report time, not the processing time', () => {
    const message = messageIn('submitted');
    message.applyDeliveryReport(report('delivered'), LATER);
    expect(message.history.at(-1)?.at).toEqual(REPORTED_AT);
  });

  for (const final of ['delivered', 'undelivered', 'expired', 'failed'] as const) {
    it(`moves submitted to ${final}`, () => {
      const message = messageIn('submitted');
      const outcome = message.applyDeliveryReport(report(final), LATER);
      expect(outcome.ok && outcome.value.kind).toBe('applied');
      expect(message.status).toBe(final);
    });

    it(`moves routed straight to ${final} when the receipt overtakes the submit response`, () => {
      const message = messageIn('routed');
      message.applyDeliveryReport(report(final), LATER);
      expect(message.status).toBe(final);
    });
  }

  it('keeps the operator error code and reason of a failure', () => {
    const message = messageIn('submitted');
    message.applyDeliveryReport(report('undelivered', { errorCode: 'SMPP.DLR_ERR_011', errorReason: 'absent subscriber' }), LATER);
    expect(message.toSnapshot()).toMatchObject({ errorCode: 'SMPP.DLR_ERR_011', errorReason: 'absent subscriber' });
  });

  it('ignores an error code on a delivered report', () => {
    const message = messageIn('submitted');
    message.applyDeliveryReport(report('delivered', { errorCode: '000', errorReason: 'ok' }), LATER);
    expect(message.toSnapshot()).toMatchObject({ errorCode: null, errorReason: null });
  });

  it('does not regress a delivered message when a late submitted arrives', () => {
    const message = messageIn('delivered');
    const outcome = message.applyDeliveryReport(report('submitted'), LATER);
    expect(outcome).toEqual({ ok: true, value: { kind: 'ignored', reason: 'already-final', smscMessageIdRecorded: false } });
    expect(message.status).toBe('delivered');
  });

  it('still records the SMSC message id carried by a late submitted report', () => {
    const message = messageIn('delivered');
    const outcome = message.applyDeliveryReport(report('submitted', { smscMessageId: 'smsc-9' }), LATER);
    expect(outcome).toEqual({ ok: true, value: { kind: 'ignored', reason: 'already-final', smscMessageIdRecorded: true } });
    expect(message.toSnapshot()).toMatchObject({ status: 'delivered', smscMessageId: 'smsc-9', updatedAt: LATER });
  });

  it('does not overwrite an SMSC message id already known', () => {
    const message = messageIn('submitted', { smscMessageId: 'smsc-1' });
    message.applyDeliveryReport(report('delivered', { smscMessageId: 'smsc-2' }), LATER);
    expect(message.toSnapshot().smscMessageId).toBe('smsc-1');
  });

  it('reports a repeated final status as a duplicate', () => {
    const message = messageIn('delivered');
    expect(message.applyDeliveryReport(report('delivered'), LATER)).toEqual({
      ok: true,
      value: { kind: 'ignored', reason: 'duplicate', smscMessageIdRecorded: false },
    });
  });

  it('reports a repeated submitted as a duplicate', () => {
    const message = messageIn('submitted', { smscMessageId: 'smsc-1' });
    const outcome = message.applyDeliveryReport(report('submitted', { smscMessageId: 'smsc-1' }), LATER);
    expect(outcome.ok && outcome.value).toEqual({ kind: 'ignored', reason: 'duplicate', smscMessageIdRecorded: false });
  });

  it('keeps the first final status when a different final status arrives later', () => {
    const message = messageIn('delivered');
    message.applyDeliveryReport(report('undelivered', { errorCode: 'X' }), LATER);
    expect(message.toSnapshot()).toMatchObject({ status: 'delivered', errorCode: null });
  });

  it('does not add a history entry for an ignored report', () => {
    const message = messageIn('delivered');
    const before = message.history.length;
    message.applyDeliveryReport(report('submitted'), LATER);
    expect(message.history).toHaveLength(before);
  });

  it('ignores any report for a message rejected before dispatch, without recording an SMSC id', () => {
    const message = messageIn('rejected');
    const outcome = message.applyDeliveryReport(report('delivered', { smscMessageId: 'smsc-1' }), LATER);
    expect(outcome.ok && outcome.value).toEqual({ kind: 'ignored', reason: 'already-final', smscMessageIdRecorded: false });
    expect(message.toSnapshot().smscMessageId).toBeNull();
  });

  for (const status of ['submitted', 'delivered', 'undelivered', 'expired', 'failed'] as const) {
    it(`refuses ${status} for a message never dispatched (still accepted)`, () => {
      const message = acceptedMessage();
      const outcome = message.applyDeliveryReport(report(status), LATER);
      expect(outcome).toEqual({
        ok: false,
        error: { code: 'ORCH.INVALID_TRANSITION', from: 'accepted', to: status, message: `a message cannot go from accepted to ${status}` },
      });
      expect(message.status).toBe('accepted');
    });
  }
});
