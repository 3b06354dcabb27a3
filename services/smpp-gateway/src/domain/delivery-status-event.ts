import type { EventEnvelope } from '@sms/kernel';
import type { DeliveryStatus } from './receipt-state.js';

/**
 * The event the gateway publishes for each submit response and each final delivery receipt; the
 * orchestrator consumes it (services/sms-orchestrator, delivery-status consumer) and moves the
 * message to that status. Schema: packages/contracts/src/events/smpp-gateway.events.ts.
 */
export const DELIVERY_STATUS_EVENT = { type: 'sms.delivery.status.v1', subject: 'sms.delivery.status' } as const;

export interface DeliveryStatusData {
  readonly messageId: string;
  readonly tenantId: string;
  readonly status: DeliveryStatus;
  /** The id the SMSC gave the first part, as it wrote it in submit_sm_resp. */
  readonly smscMessageId: string | null;
  readonly errorCode: string | null;
  readonly errorReason: string | null;
  readonly reportedAt: string;
  readonly operatorId: string;
  readonly connectionId: string;
}

/** Envelope of a delivery status event; aggregate = the platform message, so one message's reports stay in order. */
export function deliveryStatusEnvelope(eventId: string, data: DeliveryStatusData): EventEnvelope<DeliveryStatusData> {
  return {
    id: eventId,
    type: DELIVERY_STATUS_EVENT.type,
    aggregateType: 'sms-message',
    aggregateId: data.messageId,
    tenantId: data.tenantId,
    occurredAt: data.reportedAt,
    data,
  };
}

/**
 * The 8-bit concatenation reference of a message: derived from its id, so a resubmission of the
 * same message (after a redelivery) carries the same reference and the handset still joins the parts.
 */
export function concatenationReference(messageId: string): number {
  let hash = 0;
  for (let index = 0; index < messageId.length; index += 1) hash = (hash * 31 + messageId.charCodeAt(index)) >>> 0;
  return hash % 256;
}
