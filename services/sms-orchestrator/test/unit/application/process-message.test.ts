import { describe, expect, it } from 'vitest';
import { ProcessMessage } from '../../../src/application/process-message.use-case.js';
import { SmsMessage } from '../../../src/domain/sms-message.js';
import { OTHER_TENANT, TENANT, acceptMessage, createHarness } from '../../support/harness.js';
import type { Harness } from '../../support/harness.js';

const run = (h: Harness, messageId: string, tenantId = TENANT) => h.processMessage.execute({ tenantId, messageId });

const unavailable = { outcome: 'unavailable', reason: 'deadline exceeded' } as const;

describe('ProcessMessage happy path', () => {
  it('dispatches an accepted message through the chosen route', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    expect(await run(h, messageId)).toEqual({
      ok: true,
      value: { kind: 'dispatched', attempt: 1, route: { operatorId: 'roshan', connectionId: 'roshan-smpp-1' } },
    });
    expect(h.messages.get(messageId)).toMatchObject({ status: 'routed', pipelineAttempts: 1, route: { operatorId: 'roshan' }, version: 1 });
  });

  it('appends the status change and the outbound request together', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    await run(h, messageId);
    const types = h.outbox.events.map((e) => e.type);
    expect(types).toEqual(['sms.message.accepted.v1', 'sms.message.status-changed.v1', 'sms.outbound.requested.v1']);
    expect(h.outbox.ofType('sms.outbound.requested.v1')[0]?.data).toMatchObject({ messageId, body: 'Your code is 482913', connectionId: 'roshan-smpp-1', attempt: 1 });
  });

  it('asks the numbering service about the tenant and sender, and the router about the destination', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h, { from: '12345' });
    await run(h, messageId);
    expect(h.senderLeases.queries).toEqual([{ tenantId: TENANT, sender: { kind: 'short_code', value: '12345' }, at: h.clock.now() }]);
    expect(h.router.queries).toEqual([{ tenantId: TENANT, messageId, destination: '+93791234567', sender: { kind: 'short_code', value: '12345' }, segments: 1 }]);
  });

  it('times every stage and reports the end-to-end pipeline latency', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.clock.advance(250);
    await run(h, messageId);
    expect(h.metrics.stages.map((s) => [s.stage, s.outcome, s.seconds])).toEqual([
      ['validate', 'ok', 0.005],
      ['sender_lease', 'ok', 0.005],
      ['route', 'ok', 0.005],
      ['dispatch', 'ok', 0.005],
    ]);
    expect(h.metrics.finished).toEqual([{ result: 'dispatched', seconds: 0.25 }]);
  });
});

describe('ProcessMessage permanent failures', () => {
  it('rejects a message whose sender is not leased to the tenant, without routing it', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.senderLeases.answer({ outcome: 'not-leased', reason: 'leased to another tenant' });
    expect(await run(h, messageId)).toEqual({ ok: true, value: { kind: 'rejected', attempt: 1, stage: 'sender_lease', errorCode: 'ORCH.SENDER_NOT_LEASED' } });
    expect(h.messages.get(messageId)).toMatchObject({ status: 'rejected', errorCode: 'ORCH.SENDER_NOT_LEASED', errorReason: 'leased to another tenant' });
    expect(h.router.queries).toHaveLength(0);
  });

  it('announces the rejection with a status-changed event and no outbound request', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.senderLeases.answer({ outcome: 'not-leased', reason: 'quarantined' });
    await run(h, messageId);
    expect(h.outbox.ofType('sms.message.status-changed.v1').map((e) => e.data)).toMatchObject([{ status: 'rejected', errorCode: 'ORCH.SENDER_NOT_LEASED' }]);
    expect(h.outbox.ofType('sms.outbound.requested.v1')).toHaveLength(0);
  });

  it('rejects a message with no route', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.router.answer({ outcome: 'no-route', reason: 'no prefix rule for +9379' });
    expect(await run(h, messageId)).toMatchObject({ ok: true, value: { kind: 'rejected', stage: 'route', errorCode: 'ORCH.NO_ROUTE' } });
    expect(h.metrics.finished.map((f) => f.result)).toEqual(['rejected']);
  });

  it('rejects a destination the current numbering metadata no longer accepts, before any dependency call', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    const stored = h.messages.get(messageId);
    if (stored === undefined) throw new Error('missing');
    await h.unitOfWork.run(TENANT, async (scope) => {
      // Simulates a row stored under older metadata.
      const { messages } = scope;
      const message = SmsMessage.restore({ ...stored, to: '+93201234567' });
      await messages.update(message);
    });
    expect(await run(h, messageId)).toMatchObject({ ok: true, value: { kind: 'rejected', stage: 'validate', errorCode: 'ORCH.INVALID_DESTINATION' } });
    expect(h.senderLeases.queries).toHaveLength(0);
  });

  it('expires a message whose validity elapsed before dispatch', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h, { validityPeriod: 60 });
    h.clock.advance(60_000);
    expect(await run(h, messageId)).toEqual({ ok: true, value: { kind: 'expired', attempt: 1 } });
    expect(h.messages.get(messageId)).toMatchObject({ status: 'expired', errorCode: 'ORCH.VALIDITY_ELAPSED' });
    expect(h.metrics.stages).toEqual([{ stage: 'validate', outcome: 'expired', seconds: 0.005 }]);
  });
});

describe('ProcessMessage transient failures', () => {
  it('schedules a retry with full-jitter backoff when the numbering service is unavailable', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.senderLeases.answer(unavailable);
    const result = await run(h, messageId);
    expect(result).toEqual({
      ok: true,
      value: { kind: 'retry-scheduled', attempt: 1, stage: 'sender_lease', delayMs: 500, retryAt: new Date('2026-04-18T10:00:00.500Z') },
    });
    expect(h.messages.get(messageId)).toMatchObject({ status: 'accepted', pipelineAttempts: 1, nextAttemptAt: new Date('2026-04-18T10:00:00.500Z') });
  });

  it('counts the retry and records the stage outcome as transient', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    await run(h, messageId);
    expect(h.metrics.retries).toEqual([{ stage: 'route', attempt: 1 }]);
    expect(h.metrics.stages.at(-1)).toEqual({ stage: 'route', outcome: 'transient', seconds: 0.005 });
  });

  it('appends no event for a scheduled retry', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    await run(h, messageId);
    expect(h.outbox.events.map((e) => e.type)).toEqual(['sms.message.accepted.v1']);
  });

  it('doubles the backoff ceiling with each failed attempt', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await run(h, messageId);
      if (result.ok && result.value.kind === 'retry-scheduled') {
        delays.push(result.value.delayMs);
        h.clock.set(result.value.retryAt);
      }
    }
    expect(delays).toEqual([500, 1_000, 2_000]);
  });

  it('skips a message whose retry is not due yet', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    await run(h, messageId);
    expect(await run(h, messageId)).toEqual({ ok: true, value: { kind: 'skipped', reason: 'not-due' } });
  });

  it('completes the message when the dependency is back on a later attempt', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    await run(h, messageId);
    h.router.answer({ outcome: 'route', route: { operatorId: 'mtn-af', connectionId: 'mtn-1' } });
    h.clock.advance(500);
    expect(await run(h, messageId)).toEqual({ ok: true, value: { kind: 'dispatched', attempt: 2, route: { operatorId: 'mtn-af', connectionId: 'mtn-1' } } });
    expect(h.outbox.ofType('sms.outbound.requested.v1')[0]?.data).toMatchObject({ attempt: 2, operatorId: 'mtn-af' });
  });

  it('dead-letters the message when the dependency stays down through every attempt', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.senderLeases.answer(unavailable);
    let last;
    for (let attempt = 1; attempt <= h.retryPolicy.maxAttempts; attempt += 1) {
      last = await run(h, messageId);
      h.clock.advance(60_000);
    }
    expect(last).toEqual({ ok: true, value: { kind: 'dead-lettered', attempt: 4, stage: 'sender_lease' } });
    expect(h.messages.get(messageId)).toMatchObject({
      status: 'dead_lettered',
      errorCode: 'ORCH.RETRIES_EXHAUSTED',
      errorReason: 'numbering service unavailable: deadline exceeded',
      pipelineAttempts: 4,
    });
  });

  it('announces the dead letter with a status change and a dead-lettered event, and counts it', async () => {
    const h = createHarness({ retryPolicy: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 1 } });
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    await run(h, messageId);
    expect(h.outbox.events.map((e) => e.type)).toEqual(['sms.message.accepted.v1', 'sms.message.status-changed.v1', 'sms.message.dead-lettered.v1']);
    expect(h.outbox.ofType('sms.message.dead-lettered.v1')[0]?.data).toMatchObject({ attempts: 1, stage: 'route', reason: 'routing engine unavailable: deadline exceeded' });
    expect(h.metrics.deadLetters).toEqual(['route']);
    expect(h.metrics.finished.map((f) => f.result)).toEqual(['dead_lettered']);
  });

  it('expires rather than retries once the validity period has run out between attempts', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h, { validityPeriod: 60 });
    h.router.answer(unavailable);
    await run(h, messageId);
    h.clock.advance(60_000);
    expect(await run(h, messageId)).toEqual({ ok: true, value: { kind: 'expired', attempt: 2 } });
  });
});

describe('ProcessMessage idempotency and concurrency', () => {
  it('skips a message already dispatched (a redelivered trigger) without a second outbound request', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    await run(h, messageId);
    expect(await run(h, messageId)).toEqual({ ok: true, value: { kind: 'skipped', reason: 'not-pending' } });
    expect(h.outbox.ofType('sms.outbound.requested.v1')).toHaveLength(1);
  });

  it('dispatches exactly once when two workers process the same message at the same time', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    const results = await Promise.all([run(h, messageId), run(h, messageId)]);
    expect(results.map((r) => r.ok && r.value.kind).sort()).toEqual(['dispatched', 'skipped']);
    expect(h.outbox.ofType('sms.outbound.requested.v1')).toHaveLength(1);
    expect(h.metrics.stages.filter((s) => s.stage === 'dispatch').map((s) => s.outcome).sort()).toEqual(['conflict', 'ok']);
  });

  it('keeps one outcome when two workers fail transiently at the same time', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    const results = await Promise.all([run(h, messageId), run(h, messageId)]);
    expect(results.map((r) => r.ok && r.value.kind).sort()).toEqual(['retry-scheduled', 'skipped']);
    expect(h.messages.get(messageId)?.pipelineAttempts).toBe(1);
  });

  it('keeps one outcome when two workers reject at the same time', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    h.senderLeases.answer({ outcome: 'not-leased', reason: 'free' });
    const results = await Promise.all([run(h, messageId), run(h, messageId)]);
    expect(results.map((r) => r.ok && r.value.kind).sort()).toEqual(['rejected', 'skipped']);
    expect(h.outbox.ofType('sms.message.status-changed.v1')).toHaveLength(1);
  });

  it('dead-letters once when two workers give up at the same time', async () => {
    const h = createHarness({ retryPolicy: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 1 } });
    const messageId = await acceptMessage(h);
    h.router.answer(unavailable);
    const results = await Promise.all([run(h, messageId), run(h, messageId)]);
    expect(results.map((r) => r.ok && r.value.kind).sort()).toEqual(['dead-lettered', 'skipped']);
    expect(h.outbox.ofType('sms.message.dead-lettered.v1')).toHaveLength(1);
    expect(h.metrics.deadLetters).toEqual(['route']);
  });

  it('answers not found for an unknown message', async () => {
    const h = createHarness();
    expect(await run(h, 'missing')).toEqual({ ok: false, error: { code: 'ORCH.MESSAGE_NOT_FOUND', messageId: 'missing' } });
  });

  it('does not process a message of another tenant', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    expect(await run(h, messageId, OTHER_TENANT)).toMatchObject({ ok: false, error: { code: 'ORCH.MESSAGE_NOT_FOUND' } });
    expect(h.messages.get(messageId)?.status).toBe('accepted');
  });

  it('refuses to start with an invalid retry policy', () => {
    const h = createHarness();
    expect(() => new ProcessMessage({ ...h, retryPolicy: { baseDelayMs: 0, maxDelayMs: 1, maxAttempts: 1 } })).toThrow(RangeError);
  });
});
