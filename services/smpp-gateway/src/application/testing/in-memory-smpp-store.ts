import type { EventEnvelope } from '@sms/kernel';
import type { FinalStatus, SmppScope, SmppUnitOfWork, SubmittedPart } from '../ports/smpp-store.port.js';

/**
 * The gateway's tables and outbox in memory, with transactions: a unit of work works on a copy and
 * commits it only when the work resolves. Transactions run one at a time (as row locks would
 * serialise them for one message).
 */
export class InMemorySmppStore implements SmppUnitOfWork {
  private parts: SubmittedPart[] = [];
  private events: EventEnvelope[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  get committedParts(): readonly SubmittedPart[] {
    return this.parts;
  }

  get committedEvents(): readonly EventEnvelope[] {
    return this.events;
  }

  run<T>(work: (scope: SmppScope) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async transaction<T>(work: (scope: SmppScope) => Promise<T>): Promise<T> {
    let parts = [...this.parts];
    const events = [...this.events];
    const scope: SmppScope = {
      partsOf: (messageId) =>
        Promise.resolve(parts.filter((p) => p.messageId === messageId).sort((a, b) => a.partSequence - b.partSequence)),
      recordPart: (part) => {
        if (!parts.some((p) => p.messageId === part.messageId && p.partSequence === part.partSequence)) parts.push(part);
        return Promise.resolve();
      },
      findForReceipt: (connectionId, key) => {
        const found = parts
          .filter((p) => p.connectionId === connectionId && p.smscMessageIdKey === key)
          .sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime())[0];
        return Promise.resolve(found ?? null);
      },
      recordReceipt: (messageId: string, partSequence: number, status: FinalStatus, errorCode: string | null, at: Date) => {
        parts = parts.map((p) =>
          p.messageId === messageId && p.partSequence === partSequence ? { ...p, receiptStatus: status, receiptErrorCode: errorCode, receiptAt: at } : p,
        );
        return Promise.resolve();
      },
      appendEvent: (envelope) => {
        events.push(envelope);
        return Promise.resolve();
      },
    };
    const result = await work(scope);
    this.parts = parts;
    this.events = events;
    return result;
  }
}
