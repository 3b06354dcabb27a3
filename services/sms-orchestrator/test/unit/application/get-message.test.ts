import { describe, expect, it } from 'vitest';
import { OTHER_TENANT, TENANT, acceptMessage, createHarness, dispatchMessage } from '../../support/harness.js';

describe('GetMessage', () => {
  it('returns the message with its status and history', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h, { clientReference: 'ref-1', validityPeriod: 600 });
    const result = await h.getMessage.execute({ tenantId: TENANT, messageId });
    expect(result).toEqual({
      ok: true,
      value: {
        messageId,
        status: 'accepted',
        to: '+93791234567',
        from: '+93701234567',
        fromType: 'msisdn',
        encoding: 'GSM-7',
        segments: 1,
        clientReference: 'ref-1',
        validityPeriodSeconds: 600,
        callbackUrl: null,
        errorCode: null,
        errorReason: null,
        acceptedAt: '2026-04-18T10:00:00.000Z',
        updatedAt: '2026-04-18T10:00:00.000Z',
        expiresAt: '2026-04-18T10:10:00.000Z',
        history: [{ status: 'accepted', at: '2026-04-18T10:00:00.000Z', errorCode: null, reason: null }],
      },
    });
  });

  it('does not echo the body', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h, { body: 'secret 482913' });
    const result = await h.getMessage.execute({ tenantId: TENANT, messageId });
    expect(JSON.stringify(result)).not.toContain('482913');
  });

  it('shows the history through dispatch', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    const result = await h.getMessage.execute({ tenantId: TENANT, messageId });
    expect(result.ok && result.value.history.map((entry) => entry.status)).toEqual(['accepted', 'routed']);
  });

  it('does not return a message of another tenant', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    expect(await h.getMessage.execute({ tenantId: OTHER_TENANT, messageId })).toEqual({
      ok: false,
      error: { code: 'ORCH.MESSAGE_NOT_FOUND', messageId },
    });
  });

  it('answers not found for an unknown id', async () => {
    const h = createHarness();
    expect(await h.getMessage.execute({ tenantId: TENANT, messageId: 'no-such-id' })).toMatchObject({ ok: false, error: { code: 'ORCH.MESSAGE_NOT_FOUND' } });
  });

  it('shows a dead-lettered message as failed with ORCH.RETRIES_EXHAUSTED', async () => {
    const h = createHarness({ retryPolicy: { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 1 } });
    const messageId = await acceptMessage(h);
    h.router.answer({ outcome: 'unavailable', reason: 'timeout' });
    await h.processMessage.execute({ tenantId: TENANT, messageId });
    const result = await h.getMessage.execute({ tenantId: TENANT, messageId });
    expect(result.ok && [result.value.status, result.value.errorCode, result.value.history.at(-1)?.status]).toEqual([
      'failed',
      'ORCH.RETRIES_EXHAUSTED',
      'failed',
    ]);
  });
});
