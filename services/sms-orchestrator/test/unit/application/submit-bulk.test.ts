import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../../src/application/ports/idempotency.store.port.js';
import { SubmitBulk } from '../../../src/application/submit-bulk.use-case.js';
import type { SubmitBulkRequest } from '../../../src/domain/bulk-submission.js';
import { TENANT, createHarness, validRequest } from '../../support/harness.js';

const bulk = (h: ReturnType<typeof createHarness>, request: SubmitBulkRequest, idempotencyKey: string | null = null) =>
  h.submitBulk.execute({ tenantId: TENANT, idempotencyKey, request });

const recipients = (n: number): string[] => Array.from({ length: n }, (_, i) => `+9379${String(2_000_000 + i).padStart(7, '0')}`);

describe('SubmitBulk', () => {
  it('accepts the valid messages and reports the invalid ones by index', async () => {
    const h = createHarness();
    const result = await bulk(h, { messages: [validRequest(), validRequest({ to: 'nope' }), validRequest({ body: 'سلام' })] });
    expect(result).toMatchObject({
      ok: true,
      value: {
        replayed: false,
        output: {
          acceptedCount: 2,
          rejectedCount: 1,
          items: [
            { index: 0, status: 'accepted', encoding: 'GSM-7', segments: 1 },
            { index: 1, to: 'nope', status: 'rejected', errors: [{ field: 'messages[1].to', code: 'ORCH.INVALID_DESTINATION' }] },
            { index: 2, status: 'accepted', encoding: 'UCS-2', segments: 1 },
          ],
        },
      },
    });
  });

  it('stores only the valid messages, each with its accepted event, in one unit of work', async () => {
    const h = createHarness();
    await bulk(h, { messages: [validRequest(), validRequest({ to: 'nope' }), validRequest()] });
    expect(h.messages.all()).toHaveLength(2);
    expect(h.outbox.ofType('sms.message.accepted.v1')).toHaveLength(2);
    expect(h.unitOfWork.runs).toBe(1);
  });

  it('gives each recipient of a one-body request its own message id', async () => {
    const h = createHarness();
    const result = await bulk(h, { to: recipients(3), from: '12345', body: 'Road closed today' });
    const ids = result.ok ? result.value.output.items.map((item) => (item.status === 'accepted' ? item.messageId : null)) : [];
    expect(new Set(ids).size).toBe(3);
    expect(h.messages.all().map((m) => m.to)).toEqual(recipients(3));
  });

  it('accepts one body for 1,000 recipients', async () => {
    const h = createHarness();
    const result = await bulk(h, { to: recipients(1000), from: '12345', body: 'Road closed today' });
    expect(result.ok && result.value.output.acceptedCount).toBe(1000);
    expect(h.messages.all()).toHaveLength(1000);
  });

  it('refuses 1,001 recipients and stores nothing', async () => {
    const h = createHarness();
    const result = await bulk(h, { to: recipients(1001), from: '12345', body: 'Hi' });
    expect(result).toMatchObject({ ok: false, error: { code: 'ORCH.VALIDATION_FAILED', errors: [{ field: 'to', code: 'ORCH.BULK_TOO_LARGE' }] } });
    expect(h.messages.all()).toHaveLength(0);
  });

  it('refuses a request with no valid item and stores nothing', async () => {
    const h = createHarness();
    const result = await bulk(h, { messages: [validRequest({ to: 'a' }), validRequest({ to: 'b' })] });
    expect(result).toMatchObject({ ok: false, error: { code: 'ORCH.VALIDATION_FAILED' } });
    expect([h.messages.all().length, h.outbox.events.length, h.idempotency.size]).toEqual([0, 0, 0]);
  });

  it('refuses an invalid shared body of a one-body request', async () => {
    const h = createHarness();
    const result = await bulk(h, { to: recipients(2), from: '12345', body: '' });
    expect(result).toMatchObject({ ok: false, error: { errors: [{ field: 'body', code: 'ORCH.INVALID_BODY' }] } });
  });

  it('refuses a malformed idempotency key before anything else', async () => {
    const h = createHarness();
    const result = await bulk(h, { messages: [validRequest()] }, 'bad key');
    expect(result).toMatchObject({ ok: false, error: { errors: [{ field: 'Idempotency-Key', code: 'ORCH.INVALID_IDEMPOTENCY_KEY' }] } });
  });

  it('replays the first response, ids included, for the same key and body', async () => {
    const h = createHarness();
    const request = { to: recipients(2), from: '12345', body: 'Hi' };
    const first = await bulk(h, request, 'bulk-1');
    const second = await bulk(h, request, 'bulk-1');
    expect(second).toEqual({ ok: true, value: { replayed: true, output: first.ok && first.value.output } });
    expect(h.messages.all()).toHaveLength(2);
  });

  it('refuses the same key with different recipients', async () => {
    const h = createHarness();
    await bulk(h, { to: recipients(2), from: '12345', body: 'Hi' }, 'bulk-1');
    const second = await bulk(h, { to: recipients(3), from: '12345', body: 'Hi' }, 'bulk-1');
    expect(second).toEqual({ ok: false, error: { code: 'ORCH.IDEMPOTENCY_CONFLICT' } });
  });

  it('refuses a key first used on the send endpoint', async () => {
    const h = createHarness();
    await h.submitMessage.execute({ tenantId: TENANT, idempotencyKey: 'key-1', request: validRequest() });
    expect(await bulk(h, { messages: [validRequest()] }, 'key-1')).toEqual({ ok: false, error: { code: 'ORCH.IDEMPOTENCY_CONFLICT' } });
  });

  it('treats a stored response of the other endpoint as a conflict', async () => {
    const h = createHarness();
    const idempotency: IdempotencyStore = {
      claim: () =>
        Promise.resolve({
          outcome: 'replay',
          response: { operation: 'send', output: { messageId: 'm', status: 'accepted', encoding: 'GSM-7', segments: 1, clientReference: null, acceptedAt: '2026-04-18T10:00:00.000Z' } },
        }),
      release: () => Promise.resolve(),
    };
    const submit = new SubmitBulk({ ...h, idempotency, callbackUrlPolicy: { allowLoopbackHttp: false } });
    expect(await submit.execute({ tenantId: TENANT, idempotencyKey: 'key-1', request: { messages: [validRequest()] } })).toEqual({
      ok: false,
      error: { code: 'ORCH.IDEMPOTENCY_CONFLICT' },
    });
  });

  it('takes one rate-limit token per accepted message', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 10, burst: 5 } });
    await bulk(h, { to: recipients(3), from: '12345', body: 'Hi' });
    expect(await bulk(h, { to: recipients(3), from: '12345', body: 'Hi again' })).toEqual({
      ok: false,
      error: { code: 'ORCH.RATE_LIMITED', retryAfterMs: 100 },
    });
  });

  it('lets a bulk larger than the burst through when the bucket is full', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 100, burst: 10 } });
    const result = await bulk(h, { to: recipients(50), from: '12345', body: 'Hi' });
    expect(result.ok && result.value.output.acceptedCount).toBe(50);
  });

  it('does not take tokens for the rejected items', async () => {
    const h = createHarness();
    h.tenantSettings.set(TENANT, { submitRateLimit: { messagesPerSecond: 1, burst: 2 } });
    await bulk(h, { messages: [validRequest(), validRequest({ to: 'x' }), validRequest({ to: 'y' })] });
    expect((await h.submitMessage.execute({ tenantId: TENANT, idempotencyKey: null, request: validRequest() })).ok).toBe(true);
  });
});
