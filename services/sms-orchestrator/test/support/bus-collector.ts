import type { Bus, Subscription } from '@sms/bus';
import type { EventEnvelope } from '@sms/kernel';
import { decodeEnvelope, encodeEnvelope } from '@sms/outbox';
import { uniqueName } from '@sms/testing';
import { randomUUID } from 'node:crypto';

export interface Collected {
  readonly subject: string;
  readonly envelope: EventEnvelope;
}

/** Records every event published on `subjects` (its own durable, so it misses nothing published after it starts). */
export async function collectEvents(bus: Bus, subjects: readonly string[]): Promise<{ readonly events: Collected[]; stop(): Promise<void> }> {
  const events: Collected[] = [];
  const subscription: Subscription = await bus.subscribe({ durable: uniqueName('collector'), subjects }, (message) => {
    const decoded = decodeEnvelope(message.payload);
    if (decoded.ok) events.push({ subject: message.subject, envelope: decoded.value });
    return Promise.resolve();
  });
  return { events, stop: () => subscription.stop() };
}

/** Publishes a delivery status event as the SMPP gateway would. */
export async function publishDeliveryStatus(
  bus: Bus,
  subject: string,
  data: {
    readonly messageId: string;
    readonly tenantId: string;
    readonly status: 'submitted' | 'delivered' | 'undelivered' | 'expired' | 'failed';
    readonly smscMessageId?: string | null;
    readonly errorCode?: string | null;
    readonly errorReason?: string | null;
  },
  eventId: string = randomUUID(),
): Promise<string> {
  const envelope: EventEnvelope = {
    id: eventId,
    type: 'sms.delivery.status.v1',
    aggregateType: 'sms-message',
    aggregateId: data.messageId,
    tenantId: data.tenantId,
    occurredAt: new Date().toISOString(),
    data: {
      smscMessageId: null,
      errorCode: null,
      errorReason: null,
      ...data,
      reportedAt: new Date().toISOString(),
    },
  };
  await bus.publish(subject, encodeEnvelope(envelope), { msgId: eventId });
  return eventId;
}
