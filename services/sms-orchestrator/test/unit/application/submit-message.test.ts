import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../../src/application/ports/idempotency.store.port.js';
import type { UnitOfWork } from '../../../src/application/ports/unit-of-work.port.js';
import { SubmitMessage } from '../../../src/application/submit-message.use-case.js';
import { requestFingerprint } from '../../../src/domain/request-fingerprint.js';
import { OTHER_TENANT, TENANT, createHarness, validRequest } from '../../support/harness.js';

const send = (h: ReturnType<typeof createHarness>, request = validRequest(), idempotencyKey: string | null = null, tenantId = TENANT) =>
  h.submitMessage.execute({ tenantId, idempotencyKey, request });

describe('SubmitMessage', () => {
  it('accepts a valid message and answers with its id, status, encoding and segment count', async () => {
    const h = createHarness();
    const result = await send(h);
    expect(result).toEqual({
      ok: true,
      value: {
        replayed: false,
        output: {
          messageId: 'id-2',
          status: 'accepted',
          encoding: 'GSM-7',
          segments: 1,
          clientReference: null,
          acceptedAt: '2026-04-18T10:00:00.000Z',
        },
      },
    });
  });

  it('stores the message as accepted under the tenant of the command', async () => {
    const h = createHarness();
    await send(h, validRequest(), null, OTHER_TENANT);
    expect(h.messages.all()).toMatchObject([{ tenantId: OTHER_TENANT, status: 'accepted', to: '+93791234567' }]);
  });

  it('appends the accepted event in the same unit of work as the message', async () => {
    const h = createHarness();
    await send(h);
    expect(h.unitOfWork.runs).toBe(1);
    expect(h.outbox.events.map((e) => [e.type, e.aggregateId])).toEqual([['sms.message.accepted.v1', 'id-2']]);
  });

  it('reports UCS-2 and the segment count of a long Dari text', async () => {
    const h = createHarness();
    const result = await send(h, validRequest({ body: 'سلام '.repeat(20) }));
    expect(result.ok && [result.value.output.encoding, result.value.output.segments]).toEqual(['UCS-2', 2]);
  });

  it('echoes the client reference', async () => {
    const h = createHarness();
    const result = await send(h, validRequest({ clientReference: 'otp-4711' }));
    expect(result.ok && result.value.output.clientReference).toBe('otp-4711');
  });

  it('refuses an invalid request naming each bad field and stores nothing', async () => {
    const h = createHarness();
    const result = await send(h, validRequest({ to: '0791234567', body: '' }));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'ORCH.VALIDATION_FAILED', errors: [{ field: 'to', code: 'ORCH.INVALID_DESTINATION' }, { field: 'body', code: 'ORCH.INVALID_BODY' }] },
    });
    expect([h.messages.all().length, h.outbox.events.length, h.idempotency.size]).toEqual([0, 0, 0]);
  });

  it('refuses a body longer than the tenant maximum of parts, naming the limit', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { maxPartsPerMessage: 1 });
    const result = await send(h, validRequest({ body: 'a'.repeat(161) }));
    expect(result).toMatchObject({
      ok: false,
      error: { errors: [{ field: 'body', code: 'ORCH.TOO_MANY_PARTS', message: "body needs 2 parts in GSM-7, more than this tenant's limit of 1 parts per message" }] },
    });
  });

  it('applies the maximum parts of the submitting tenant only', async () => {
    const h = createHarness();
    h.tenantSettings.set(OTHER_TENANT, { maxPartsPerMessage: 1 });
    expect((await send(h, validRequest({ body: 'a'.repeat(161) }))).ok).toBe(true);
  });

  it('refuses a malformed idempotency key together with the other invalid fields', async () => {
    const h = createHarness();
    const result = await send(h, validRequest({ from: 'x' }), 'has space');
    expect(!result.ok && result.error.code === 'ORCH.VALIDATION_FAILED' && result.error.errors.map((e) => e.field)).toEqual(['Idempotency-Key', 'from']);
  });

  it('refuses a malformed idempotency key on an otherwise valid request', async () => {
    const h = createHarness();
    const result = await send(h, validRequest(), '');
    expect(result).toMatchObject({ ok: false, error: { code: 'ORCH.VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key', code: 'ORCH.INVALID_IDEMPOTENCY_KEY' }] } });
  });

  it('refuses a callback over plain http in production', async () => {
    const h = createHarness({ allowLoopbackHttp: false });
    const result = await send(h, validRequest({ callbackUrl: 'http://localhost:9000/cb' }));
    expect(result).toMatchObject({ ok: false, error: { errors: [{ field: 'callback_url' }] } });
  });

  it('accepts a callback to localhost over http outside production', async () => {
    const h = createHarness({ allowLoopbackHttp: true });
    expect((await send(h, validRequest({ callbackUrl: 'http://localhost:9000/cb' }))).ok).toBe(true);
  });
});

describe('SubmitMessage idempotency', () => {
  it('replays the first response for the same key and body, creating no second message', async () => {
    const h = createHarness();
    const first = await send(h, validRequest(), 'key-1');
    h.clock.advance(60_000);
    const second = await send(h, validRequest(), 'key-1');
    expect(second).toEqual({ ok: true, value: { replayed: true, output: first.ok && first.value.output } });
    expect(h.messages.all()).toHaveLength(1);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const h = createHarness();
    await send(h, { to: '+93791234567', from: '+93701234567', body: 'Hi' }, 'key-1');
    const second = await send(h, { body: 'Hi', from: '+93701234567', to: '+93791234567' }, 'key-1');
    expect(second.ok && second.value.replayed).toBe(true);
  });

  it('refuses the same key with a different body and creates nothing', async () => {
    const h = createHarness();
    await send(h, validRequest(), 'key-1');
    const second = await send(h, validRequest({ body: 'another text' }), 'key-1');
    expect(second).toEqual({ ok: false, error: { code: 'ORCH.IDEMPOTENCY_CONFLICT' } });
    expect(h.messages.all()).toHaveLength(1);
  });

  it('keeps the keys of different tenants apart', async () => {
    const h = createHarness();
    await send(h, validRequest(), 'key-1', TENANT);
    const other = await send(h, validRequest({ body: 'different' }), 'key-1', OTHER_TENANT);
    expect(other.ok && other.value.replayed).toBe(false);
  });

  it('answers in-progress while the first request with the key has not finished', async () => {
    const h = createHarness();
    await h.idempotency.claim({ tenantId: TENANT, key: 'key-1', fingerprint: requestFingerprint('send', validRequest()), token: 't', now: h.clock.now() });
    expect(await send(h, validRequest(), 'key-1')).toEqual({ ok: false, error: { code: 'ORCH.IDEMPOTENCY_IN_PROGRESS' } });
  });

  it('creates exactly one message for fifty concurrent requests with one key', async () => {
    const h = createHarness();
    const results = await Promise.all(Array.from({ length: 50 }, () => send(h, validRequest(), 'key-50')));
    expect(h.messages.all()).toHaveLength(1);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'ORCH.IDEMPOTENCY_IN_PROGRESS')).toHaveLength(49);
  });

  it('replays to every request with the key once the first has finished', async () => {
    const h = createHarness();
    await send(h, validRequest(), 'key-1');
    const replays = await Promise.all(Array.from({ length: 5 }, () => send(h, validRequest(), 'key-1')));
    expect(replays.every((r) => r.ok && r.value.replayed)).toBe(true);
  });

  it('forgets a key after the 48-hour window', async () => {
    const h = createHarness();
    await send(h, validRequest(), 'key-1');
    h.clock.advance(48 * 3600 * 1000);
    const again = await send(h, validRequest(), 'key-1');
    expect(again.ok && again.value.replayed).toBe(false);
    expect(h.messages.all()).toHaveLength(2);
  });

  it('still replays one millisecond before the window ends', async () => {
    const h = createHarness();
    await send(h, validRequest(), 'key-1');
    h.clock.advance(48 * 3600 * 1000 - 1);
    const again = await send(h, validRequest(), 'key-1');
    expect(again.ok && again.value.replayed).toBe(true);
  });

  it('refuses a key first used on the bulk endpoint', async () => {
    const h = createHarness();
    await h.submitBulk.execute({ tenantId: TENANT, idempotencyKey: 'key-1', request: { messages: [validRequest()] } });
    expect(await send(h, validRequest(), 'key-1')).toEqual({ ok: false, error: { code: 'ORCH.IDEMPOTENCY_CONFLICT' } });
  });

  it('releases the key when storing fails, so a retry with the key succeeds', async () => {
    const h = createHarness();
    h.unitOfWork.failNextCommit(new Error('connection lost'));
    await expect(send(h, validRequest(), 'key-1')).rejects.toThrow('connection lost');
    expect(h.messages.all()).toHaveLength(0);
    const retry = await send(h, validRequest(), 'key-1');
    expect(retry.ok && retry.value.replayed).toBe(false);
  });

  it('rethrows a storage failure of a request without a key and stores nothing', async () => {
    const h = createHarness();
    h.unitOfWork.failNextCommit(new Error('disk full'));
    await expect(send(h)).rejects.toThrow('disk full');
    expect([h.messages.all().length, h.outbox.events.length]).toEqual([0, 0]);
  });

  it('rethrows the storage failure even when releasing the key fails too', async () => {
    const h = createHarness();
    const idempotency: IdempotencyStore = {
      claim: (request) => h.idempotency.claim(request),
      release: () => Promise.reject(new Error('redis down')),
    };
    h.unitOfWork.failNextCommit(new Error('connection lost'));
    const submit = new SubmitMessage({ ...h, idempotency, callbackUrlPolicy: { allowLoopbackHttp: false } });
    await expect(submit.execute({ tenantId: TENANT, idempotencyKey: 'key-1', request: validRequest() })).rejects.toThrow('connection lost');
  });

  it('treats a stored response of the other endpoint as a conflict', async () => {
    const h = createHarness();
    const idempotency: IdempotencyStore = {
      claim: () => Promise.resolve({ outcome: 'replay', response: { operation: 'bulk', output: { acceptedCount: 0, rejectedCount: 0, items: [] } } }),
      release: () => Promise.resolve(),
    };
    const submit = new SubmitMessage({ ...h, idempotency, callbackUrlPolicy: { allowLoopbackHttp: false } });
    expect(await submit.execute({ tenantId: TENANT, idempotencyKey: 'key-1', request: validRequest() })).toEqual({
      ok: false,
      error: { code: 'ORCH.IDEMPOTENCY_CONFLICT' },
    });
  });

  it('rolls back its message when another request took over its abandoned claim meanwhile', async () => {
    const h = createHarness();
    const fingerprint = requestFingerprint('send', validRequest());
    const slowUnitOfWork: UnitOfWork = {
      run: async (tenantId, work) => {
        h.clock.advance(31_000);
        await h.idempotency.claim({ tenantId, key: 'key-1', fingerprint, token: 'usurper', now: h.clock.now() });
        return h.unitOfWork.run(tenantId, work);
      },
    };
    const submit = new SubmitMessage({ ...h, unitOfWork: slowUnitOfWork, callbackUrlPolicy: { allowLoopbackHttp: false } });
    const result = await submit.execute({ tenantId: TENANT, idempotencyKey: 'key-1', request: validRequest() });
    expect(result).toEqual({ ok: false, error: { code: 'ORCH.IDEMPOTENCY_IN_PROGRESS' } });
    expect([h.messages.all().length, h.outbox.events.length]).toEqual([0, 0]);
  });
});

describe('SubmitMessage rate limit', () => {
  it('refuses a message over the tenant rate limit and says when to retry', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 2, burst: 1 } });
    await send(h);
    expect(await send(h)).toEqual({ ok: false, error: { code: 'ORCH.RATE_LIMITED', retryAfterMs: 500 } });
    expect(h.messages.all()).toHaveLength(1);
  });

  it('accepts again once the bucket has refilled', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 2, burst: 1 } });
    await send(h);
    h.clock.advance(500);
    expect((await send(h)).ok).toBe(true);
  });

  it('releases the idempotency key of a rate-limited request', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 1, burst: 1 } });
    await send(h);
    await send(h, validRequest({ body: 'second' }), 'key-2');
    h.clock.advance(1_000);
    const retry = await send(h, validRequest({ body: 'second' }), 'key-2');
    expect(retry.ok && retry.value.replayed).toBe(false);
  });

  it('does not count a replay against the rate limit', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 1, burst: 1 } });
    await send(h, validRequest(), 'key-1');
    const replay = await send(h, validRequest(), 'key-1');
    expect(replay.ok && replay.value.replayed).toBe(true);
  });

  it('does not count an invalid request against the rate limit', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 1, burst: 1 } });
    await send(h, validRequest({ to: 'bad' }));
    expect((await send(h)).ok).toBe(true);
  });
});
