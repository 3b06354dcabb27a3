import { describe, expect, it } from 'vitest';
import { ApplyDeliveryStatus, ConcurrentUpdateError } from '../../../src/application/apply-delivery-status.use-case.js';
import type { DeliveryStatusEvent } from '../../../src/application/apply-delivery-status.use-case.js';
import type { UnitOfWork } from '../../../src/application/ports/unit-of-work.port.js';
import { SmsMessage } from '../../../src/domain/sms-message.js';
import { OTHER_TENANT, TENANT, acceptMessage, createHarness, dispatchMessage } from '../../support/harness.js';
import type { Harness } from '../../support/harness.js';

let eventCounter = 0;
const statusEvent = (messageId: string, extra: Partial<DeliveryStatusEvent> = {}): DeliveryStatusEvent => {
  eventCounter += 1;
  return {
    eventId: `dlr-${eventCounter}`,
    tenantId: TENANT,
    messageId,
    status: 'submitted',
    occurredAt: new Date('2026-04-18T10:00:02.000Z'),
    smscMessageId: 'smsc-77',
    errorCode: null,
    errorReason: null,
    ...extra,
  };
};

const statusChanges = (h: Harness) => h.outbox.ofType('sms.message.status-changed.v1').map((e) => e.data);

describe('ApplyDeliveryStatus', () => {
  it('moves a routed message to submitted with the SMSC message id', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    expect(await h.applyDeliveryStatus.execute(statusEvent(messageId))).toEqual({ ok: true, value: { kind: 'applied', from: 'routed', to: 'submitted' } });
    expect(h.messages.get(messageId)).toMatchObject({ status: 'submitted', smscMessageId: 'smsc-77' });
  });

  it('announces the change with a status-changed event', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    await h.applyDeliveryStatus.execute(statusEvent(messageId));
    expect(statusChanges(h).at(-1)).toMatchObject({ previousStatus: 'routed', status: 'submitted', smscMessageId: 'smsc-77', changedAt: '2026-04-18T10:00:02.000Z' });
  });

  it('moves a submitted message to delivered', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    await h.applyDeliveryStatus.execute(statusEvent(messageId));
    await h.applyDeliveryStatus.execute(statusEvent(messageId, { status: 'delivered' }));
    expect(h.messages.get(messageId)?.status).toBe('delivered');
  });

  it('keeps the operator error code of an undelivered message', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    await h.applyDeliveryStatus.execute(statusEvent(messageId, { status: 'undelivered', errorCode: 'SMPP.DLR_UNDELIV_001', errorReason: 'absent subscriber' }));
    expect(h.messages.get(messageId)).toMatchObject({ status: 'undelivered', errorCode: 'SMPP.DLR_UNDELIV_001', errorReason: 'absent subscriber' });
  });

  it('skips a redelivered event without a second change or event', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    const event = statusEvent(messageId);
    await h.applyDeliveryStatus.execute(event);
    const before = h.outbox.events.length;
    expect(await h.applyDeliveryStatus.execute(event)).toEqual({ ok: true, value: { kind: 'already-handled' } });
    expect(h.outbox.events).toHaveLength(before);
  });

  it('does not regress a delivered message when a late submitted arrives', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    await h.applyDeliveryStatus.execute(statusEvent(messageId, { status: 'delivered', smscMessageId: 'smsc-77' }));
    const result = await h.applyDeliveryStatus.execute(statusEvent(messageId, { status: 'submitted' }));
    expect(result).toEqual({ ok: true, value: { kind: 'ignored', reason: 'already-final' } });
    expect(h.messages.get(messageId)?.status).toBe('delivered');
    expect(statusChanges(h)).toMatchObject([{ status: 'routed' }, { status: 'delivered' }]);
  });

  it('saves the SMSC message id of a late submitted after a delivery receipt that had none, without an event', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    await h.applyDeliveryStatus.execute(statusEvent(messageId, { status: 'delivered', smscMessageId: null }));
    const events = h.outbox.events.length;
    const result = await h.applyDeliveryStatus.execute(statusEvent(messageId, { status: 'submitted', smscMessageId: 'smsc-late' }));
    expect(result).toEqual({ ok: true, value: { kind: 'ignored', reason: 'already-final' } });
    expect(h.messages.get(messageId)).toMatchObject({ status: 'delivered', smscMessageId: 'smsc-late' });
    expect(h.outbox.events).toHaveLength(events);
  });

  it('reports a second event with the same status as a duplicate', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    await h.applyDeliveryStatus.execute(statusEvent(messageId));
    expect(await h.applyDeliveryStatus.execute(statusEvent(messageId))).toEqual({ ok: true, value: { kind: 'ignored', reason: 'duplicate' } });
  });

  it('refuses a status for a message never dispatched', async () => {
    const h = createHarness();
    const messageId = await acceptMessage(h);
    expect(await h.applyDeliveryStatus.execute(statusEvent(messageId, { status: 'delivered' }))).toMatchObject({
      ok: false,
      error: { code: 'ORCH.INVALID_TRANSITION', from: 'accepted', to: 'delivered' },
    });
    expect(h.messages.get(messageId)?.status).toBe('accepted');
  });

  it('answers not found for an unknown message and treats a redelivery as handled', async () => {
    const h = createHarness();
    const event = statusEvent('missing');
    expect(await h.applyDeliveryStatus.execute(event)).toEqual({ ok: false, error: { code: 'ORCH.MESSAGE_NOT_FOUND', messageId: 'missing' } });
    expect(await h.applyDeliveryStatus.execute(event)).toEqual({ ok: true, value: { kind: 'already-handled' } });
  });

  it('does not change a message of another tenant', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    expect(await h.applyDeliveryStatus.execute(statusEvent(messageId, { tenantId: OTHER_TENANT }))).toMatchObject({ ok: false, error: { code: 'ORCH.MESSAGE_NOT_FOUND' } });
    expect(h.messages.get(messageId)?.status).toBe('routed');
  });
});

describe('ApplyDeliveryStatus under concurrent updates', () => {
  // A unit of work in which another writer bumps the message right after it is read, `times` times.
  const racingUnitOfWork = (h: Harness, times: number): UnitOfWork => {
    let remaining = times;
    return {
      run: (tenantId, work) =>
        h.unitOfWork.run(tenantId, (scope) =>
          work({
            ...scope,
            messages: {
              ...scope.messages,
              findById: async (id) => {
                const message = await scope.messages.findById(id);
                if (message !== null && remaining > 0) {
                  remaining -= 1;
                  await scope.messages.update(SmsMessage.restore(message.toSnapshot()));
                }
                return message;
              },
            },
          }),
        ),
    };
  };

  it('tries again after losing a compare-and-swap and applies the status', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    const apply = new ApplyDeliveryStatus({ unitOfWork: racingUnitOfWork(h, 1), clock: h.clock, ids: h.ids });
    expect(await apply.execute(statusEvent(messageId))).toMatchObject({ ok: true, value: { kind: 'applied' } });
    expect(statusChanges(h)).toMatchObject([{ status: 'routed' }, { status: 'submitted' }]);
  });

  it('gives up with ConcurrentUpdateError after three lost races, leaving the event unhandled', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    const apply = new ApplyDeliveryStatus({ unitOfWork: racingUnitOfWork(h, 3), clock: h.clock, ids: h.ids });
    const event = statusEvent(messageId);
    await expect(apply.execute(event)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await h.applyDeliveryStatus.execute(event)).toMatchObject({ ok: true, value: { kind: 'applied' } });
  });

  it('rethrows an infrastructure fault', async () => {
    const h = createHarness();
    const messageId = await dispatchMessage(h);
    h.unitOfWork.failNextCommit(new Error('connection reset'));
    await expect(h.applyDeliveryStatus.execute(statusEvent(messageId))).rejects.toThrow('connection reset');
    expect(h.messages.get(messageId)?.status).toBe('routed');
  });
});
