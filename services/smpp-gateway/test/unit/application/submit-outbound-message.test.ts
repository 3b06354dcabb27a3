import { ManualClock, SequentialIdGenerator } from '@sms/kernel';
import { describe, expect, it } from 'vitest';
import { SubmitOutboundMessage } from '../../../src/application/submit-outbound-message.use-case.js';
import type { OutboundRequest } from '../../../src/application/submit-outbound-message.use-case.js';
import { InMemorySmppStore } from '../../../src/application/testing/in-memory-smpp-store.js';
import { RecordingSleeper, ScriptedSubmitter } from '../../../src/application/testing/scripted-submitter.js';
import type { SubmitPartResponse } from '../../../src/application/ports/smsc-submitter.port.js';

const NOW = '2026-04-18T10:15:00.000Z';

function request(overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return {
    messageId: '01963a2e-7c4f-7b1a-9a53-3c1f0e2d4b6a',
    tenantId: 'acme',
    from: '4455',
    fromType: 'short_code',
    to: '+93791234567',
    body: 'Your code is 482913',
    encoding: 'GSM-7',
    segments: 1,
    operatorId: 'roshan',
    connectionId: 'roshan-1',
    expiresAt: new Date('2026-04-19T10:15:00.000Z'),
    ...overrides,
  };
}

function setup(script: SubmitPartResponse[] = []) {
  const store = new InMemorySmppStore();
  const submitter = new ScriptedSubmitter(script);
  const sleeper = new RecordingSleeper();
  const clock = new ManualClock(NOW);
  const useCase = new SubmitOutboundMessage({
    unitOfWork: store,
    submitter,
    sleeper,
    clock,
    ids: new SequentialIdGenerator(),
    retryPolicy: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 },
  });
  return { store, submitter, sleeper, clock, useCase };
}

const answered = (commandStatus: number, smscMessageId: string | null = null): SubmitPartResponse => ({ kind: 'answered', commandStatus, smscMessageId });

describe('submitting an outbound message', () => {
  it('submits a single part with data_coding 0 and reports it submitted with the SMSC id', async () => {
    const { store, submitter, useCase } = setup([answered(0, '00AB')]);
    const result = await useCase.execute(request());
    expect(result).toEqual({ ok: true, value: { kind: 'submitted', parts: 1 } });
    expect(submitter.requests[0]).toMatchObject({ destinationAddr: '93791234567', sourceAddr: '4455', dataCoding: 0, esmClass: 0, receipt: true });
    expect(store.committedParts[0]).toMatchObject({ smscMessageId: '00AB', smscMessageIdKey: 'ab', partSequence: 1 });
    expect(store.committedEvents.map((e) => e.data)).toEqual([
      expect.objectContaining({ status: 'submitted', smscMessageId: '00AB', reportedAt: NOW, errorCode: null, connectionId: 'roshan-1' }),
    ]);
  });

  it('sends a 3-part UCS-2 message as three concatenated parts and one submitted event', async () => {
    const { store, submitter, useCase } = setup();
    await useCase.execute(request({ body: 'س'.repeat(150), encoding: 'UCS-2', segments: 3 }));
    expect(submitter.requests.map((r) => [r.dataCoding, r.esmClass, r.shortMessage[4], r.shortMessage[5]])).toEqual([
      [8, 0x40, 3, 1],
      [8, 0x40, 3, 2],
      [8, 0x40, 3, 3],
    ]);
    expect(store.committedEvents).toHaveLength(1);
    expect(store.committedEvents[0]?.data).toMatchObject({ smscMessageId: '1' });
  });

  it('resubmits a throttled part after a backoff', async () => {
    const { submitter, sleeper, useCase } = setup([answered(0x58), answered(0x14), answered(0, 'x')]);
    const result = await useCase.execute(request());
    expect(result.ok).toBe(true);
    expect(submitter.requests).toHaveLength(3);
    expect(sleeper.delays).toEqual([100, 200]);
  });

  it('defers the message, unacknowledged, when throttled through every attempt', async () => {
    const { store, useCase } = setup([answered(0x58), answered(0x58), answered(0x58)]);
    const result = await useCase.execute(request());
    expect(result).toEqual({ ok: false, error: { code: 'SMPP.THROTTLED', reason: 'SMPP.0x58 through 3 attempts', acceptedParts: 0 } });
    expect(store.committedEvents).toHaveLength(0);
  });

  it('defers the message when no bind answers', async () => {
    const { useCase } = setup([{ kind: 'unavailable', reason: 'connection lost' }]);
    expect(await useCase.execute(request())).toMatchObject({ ok: false, error: { code: 'SMPP.UNAVAILABLE' } });
  });

  it('resumes after the parts already accepted when redelivered', async () => {
    const body = 'a'.repeat(400);
    const { store, submitter, useCase } = setup([answered(0, 'p1'), { kind: 'unavailable', reason: 'dropped' }]);
    await useCase.execute(request({ body, segments: 3 }));
    const result = await useCase.execute(request({ body, segments: 3 }));
    expect(result).toEqual({ ok: true, value: { kind: 'submitted', parts: 3 } });
    expect(submitter.requests.map((r) => r.shortMessage[5])).toEqual([1, 2, 2, 3]);
    expect(store.committedParts.map((p) => p.partSequence)).toEqual([1, 2, 3]);
    expect(store.committedEvents[0]?.data).toMatchObject({ smscMessageId: 'p1' });
  });

  it('sends nothing for a redelivery of a message already submitted', async () => {
    const { store, submitter, useCase } = setup();
    await useCase.execute(request());
    const result = await useCase.execute(request());
    expect(result).toEqual({ ok: true, value: { kind: 'already-submitted' } });
    expect(submitter.requests).toHaveLength(1);
    expect(store.committedEvents).toHaveLength(1);
  });

  it('reports the message failed when the SMSC refuses it', async () => {
    const { store, useCase } = setup([answered(0x0b)]);
    const result = await useCase.execute(request());
    expect(result).toEqual({ ok: true, value: { kind: 'failed', status: 'failed', errorCode: 'SMPP.0x0B' } });
    expect(store.committedEvents[0]?.data).toMatchObject({ status: 'failed', errorCode: 'SMPP.0x0B', smscMessageId: null });
  });

  it('reports the message expired without sending it when its validity has ended', async () => {
    const { submitter, store, clock, useCase } = setup();
    clock.set('2026-04-20T00:00:00.000Z');
    const result = await useCase.execute(request());
    expect(result).toMatchObject({ ok: true, value: { kind: 'failed', status: 'expired', errorCode: 'SMPP.VALIDITY_ELAPSED' } });
    expect(submitter.requests).toHaveLength(0);
    expect(store.committedEvents).toHaveLength(1);
  });

  it('reports a GSM-7 request whose body is not GSM-7 as failed', async () => {
    const { submitter, useCase } = setup();
    expect(await useCase.execute(request({ body: 'سلام' }))).toMatchObject({ ok: true, value: { kind: 'failed', errorCode: 'SMPP.ENCODING' } });
    expect(submitter.requests).toHaveLength(0);
  });

  it('reports a body of more than 255 parts as failed', async () => {
    const { useCase } = setup();
    expect(await useCase.execute(request({ body: 'a'.repeat(153 * 256) }))).toMatchObject({ ok: true, value: { kind: 'failed', errorCode: 'SMPP.ENCODING' } });
  });

  it('sends an MSISDN sender without its plus sign', async () => {
    const { submitter, useCase } = setup();
    await useCase.execute(request({ from: '+93701234567', fromType: 'msisdn' }));
    expect(submitter.requests[0]).toMatchObject({ sourceAddr: '93701234567', sourceType: 'msisdn' });
  });
});
