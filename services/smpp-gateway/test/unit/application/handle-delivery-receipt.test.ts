import { ManualClock, SequentialIdGenerator } from '@sms/kernel';
import { describe, expect, it } from 'vitest';
import { HandleDeliveryReceipt } from '../../../src/application/handle-delivery-receipt.use-case.js';
import type { SubmittedPart } from '../../../src/application/ports/smpp-store.port.js';
import { InMemorySmppStore } from '../../../src/application/testing/in-memory-smpp-store.js';

const NOW = '2026-04-18T10:16:00.000Z';

function part(sequence: number, total: number, smscMessageId: string, messageId = 'm-1'): SubmittedPart {
  return {
    messageId,
    tenantId: 'acme',
    operatorId: 'roshan',
    connectionId: 'roshan-1',
    partSequence: sequence,
    totalParts: total,
    smscMessageId,
    smscMessageIdKey: smscMessageId.toLowerCase().replace(/^0+/, ''),
    submittedAt: new Date('2026-04-18T10:15:00.000Z'),
    receiptStatus: null,
    receiptErrorCode: null,
    receiptAt: null,
  };
}

async function setup(parts: SubmittedPart[]) {
  const store = new InMemorySmppStore();
  await store.run(async (scope) => {
    for (const p of parts) await scope.recordPart(p);
  });
  const useCase = new HandleDeliveryReceipt({ unitOfWork: store, clock: new ManualClock(NOW), ids: new SequentialIdGenerator() });
  return { store, useCase };
}

const receipt = (id: string, stat: string) => ({ esmClass: 0x04, text: `id:${id} sub:001 dlvrd:001 submit date:2604181015 done date:2604181016 stat:${stat} err:000 text:` });

describe('handling a delivery receipt', () => {
  it('reports a single-part message delivered, matching an id written differently', async () => {
    const { store } = await setup([part(1, 1, '000000AB')]);
    const useCase = new HandleDeliveryReceipt({
      unitOfWork: store,
      clock: new ManualClock(NOW),
      ids: new SequentialIdGenerator(),
      idFormsOf: () => 'submit-hex-receipt-decimal',
    });
    const result = await useCase.execute('roshan-1', receipt('171', 'DELIVRD'));
    expect(result).toEqual({ kind: 'reported', messageId: 'm-1', status: 'delivered' });
    expect(store.committedEvents.map((e) => e.data)).toEqual([
      {
        messageId: 'm-1',
        tenantId: 'acme',
        status: 'delivered',
        smscMessageId: '000000AB',
        errorCode: null,
        errorReason: null,
        reportedAt: NOW,
        operatorId: 'roshan',
        connectionId: 'roshan-1',
      },
    ]);
  });

  it('reports an undelivered message with the SMPP error code and the receipt in the reason', async () => {
    const { store, useCase } = await setup([part(1, 1, 'ab')]);
    await useCase.execute('roshan-1', { esmClass: 0x04, text: 'id:ab stat:UNDELIV err:034' });
    expect(store.committedEvents[0]?.data).toMatchObject({ status: 'undelivered', errorCode: 'SMPP.UNDELIVERABLE', errorReason: 'receipt stat:UNDELIV err:034' });
  });

  it('waits for every part of a concatenated message before reporting', async () => {
    const { store, useCase } = await setup([part(1, 3, 'a1'), part(2, 3, 'a2'), part(3, 3, 'a3')]);
    await useCase.execute('roshan-1', receipt('a2', 'DELIVRD'));
    expect(store.committedEvents).toHaveLength(0);
    await useCase.execute('roshan-1', receipt('a1', 'DELIVRD'));
    const last = await useCase.execute('roshan-1', receipt('a3', 'DELIVRD'));
    expect(last).toEqual({ kind: 'reported', messageId: 'm-1', status: 'delivered' });
    expect(store.committedEvents).toHaveLength(1);
    expect(store.committedEvents[0]?.data).toMatchObject({ smscMessageId: 'a1' });
  });

  it('answers part-recorded while other parts have no receipt', async () => {
    const { useCase } = await setup([part(1, 2, 'a1'), part(2, 2, 'a2')]);
    expect(await useCase.execute('roshan-1', receipt('a1', 'DELIVRD'))).toEqual({ kind: 'part-recorded', messageId: 'm-1' });
  });

  it('does not report before every part was even submitted', async () => {
    const { store, useCase } = await setup([part(1, 2, 'a1')]);
    await useCase.execute('roshan-1', receipt('a1', 'DELIVRD'));
    expect(store.committedEvents).toHaveLength(0);
  });

  it('reports a multi-part message expired when one part expired', async () => {
    const { store, useCase } = await setup([part(1, 2, 'a1'), part(2, 2, 'a2')]);
    await useCase.execute('roshan-1', receipt('a1', 'DELIVRD'));
    await useCase.execute('roshan-1', receipt('a2', 'EXPIRED'));
    expect(store.committedEvents[0]?.data).toMatchObject({ status: 'expired', errorCode: 'SMPP.EXPIRED' });
  });

  it('ignores a receipt sent again for a part that has one', async () => {
    const { store, useCase } = await setup([part(1, 1, 'ab')]);
    await useCase.execute('roshan-1', receipt('ab', 'DELIVRD'));
    expect(await useCase.execute('roshan-1', receipt('AB', 'UNDELIV'))).toEqual({ kind: 'duplicate', messageId: 'm-1' });
    expect(store.committedEvents).toHaveLength(1);
  });

  it('reports nothing for an intermediate state', async () => {
    const { store, useCase } = await setup([part(1, 1, 'ab')]);
    expect(await useCase.execute('roshan-1', receipt('ab', 'ENROUTE'))).toEqual({ kind: 'intermediate', state: 'ENROUTE' });
    expect(store.committedEvents).toHaveLength(0);
  });

  it('answers unmatched for an id no part has on this connection', async () => {
    const { useCase } = await setup([part(1, 1, 'ab')]);
    expect(await useCase.execute('other-connection', receipt('ab', 'DELIVRD'))).toEqual({ kind: 'unmatched', smscMessageId: 'ab' });
  });

  it('matches the newest part when an SMSC reuses an id', async () => {
    const older = { ...part(1, 1, 'ab', 'm-old'), submittedAt: new Date('2026-04-01T00:00:00.000Z') };
    const { useCase } = await setup([older, part(1, 1, 'ab', 'm-new')]);
    expect(await useCase.execute('roshan-1', receipt('ab', 'DELIVRD'))).toMatchObject({ kind: 'reported', messageId: 'm-new' });
  });

  it('answers unreadable for a deliver_sm that is not a receipt', async () => {
    const { useCase } = await setup([]);
    expect(await useCase.execute('roshan-1', { esmClass: 0, text: 'hello' })).toEqual({ kind: 'unreadable', failure: { kind: 'not-a-receipt' } });
  });

  it('reports one status when two receipts of one message arrive together', async () => {
    const { store, useCase } = await setup([part(1, 2, 'a1'), part(2, 2, 'a2')]);
    await Promise.all([useCase.execute('roshan-1', receipt('a1', 'DELIVRD')), useCase.execute('roshan-1', receipt('a2', 'DELIVRD'))]);
    expect(store.committedEvents).toHaveLength(1);
  });
});
