import { z } from 'zod';
import type { Bus, Subscription } from '@sms/bus';
import { PermanentHandlerError } from '@sms/bus';
import type { Logger } from '@sms/logging';
import { decodeEnvelope } from '@sms/outbox';
import { SpanKind, withSpan } from '@sms/tracing';
import type { ApplyDeliveryStatus } from '../../application/apply-delivery-status.use-case.js';
import { DELIVERY_STATUS_CONSUMER } from '../../application/apply-delivery-status.use-case.js';

/** The event the SMPP gateway publishes for each submit response and delivery receipt (docs/events.md, consumed events). */
export const DELIVERY_STATUS_EVENT = { type: 'sms.delivery.status.v1', subject: 'sms.delivery.status' } as const;

/**
 * `data` of `sms.delivery.status.v1`, as this consumer accepts it. The producer's JSON Schema
 * belongs in @sms/contracts once the SMPP gateway exists; until then this is the contract.
 */
export const deliveryStatusDataSchema = z.object({
  messageId: z.uuid(),
  tenantId: z.string().min(1),
  status: z.enum(['submitted', 'delivered', 'undelivered', 'expired', 'failed']),
  smscMessageId: z.string().min(1).max(128).nullable(),
  errorCode: z.string().min(1).max(64).nullable(),
  errorReason: z.string().max(512).nullable(),
  /** When the gateway received the submit response or the receipt (ISO-8601). */
  reportedAt: z.iso.datetime({ offset: true }),
  operatorId: z.string().optional(),
  connectionId: z.string().optional(),
});

export interface DeliveryStatusConsumerOptions {
  readonly bus: Bus;
  readonly subject: string;
  readonly applyDeliveryStatus: Pick<ApplyDeliveryStatus, 'execute'>;
  readonly logger: Logger;
}

/**
 * Moves messages to the status the SMPP gateway reports. The use case records the event id in the
 * inbox in the same transaction as the change, so a redelivery changes nothing. A malformed event,
 * or one for a message that does not exist or cannot take that status, is logged and acknowledged
 * (retrying cannot help); a `ConcurrentUpdateError` or an infrastructure fault is retried.
 */
export function startDeliveryStatusConsumer(options: DeliveryStatusConsumerOptions): Promise<Subscription> {
  return options.bus.subscribe(
    { durable: DELIVERY_STATUS_CONSUMER, subjects: [options.subject], maxDeliver: 10, backoffMs: [1_000, 5_000, 30_000] },
    async (delivered) => {
      const decoded = decodeEnvelope(delivered.payload);
      if (!decoded.ok) throw new PermanentHandlerError(`malformed delivery status event: ${decoded.error}`);
      const envelope = decoded.value;
      if (envelope.type !== DELIVERY_STATUS_EVENT.type) throw new PermanentHandlerError(`unexpected event type ${envelope.type}`);
      const data = deliveryStatusDataSchema.safeParse(envelope.data);
      if (!data.success) throw new PermanentHandlerError(`invalid ${envelope.type} ${envelope.id}: ${z.prettifyError(data.error)}`);
      if (envelope.tenantId !== null && envelope.tenantId !== data.data.tenantId) {
        throw new PermanentHandlerError(`event ${envelope.id} names two different tenants`);
      }
      const status = data.data;
      const result = await withSpan(
        'orch.delivery-status',
        () =>
          options.applyDeliveryStatus.execute({
            eventId: envelope.id,
            tenantId: status.tenantId,
            messageId: status.messageId,
            status: status.status,
            occurredAt: new Date(status.reportedAt),
            smscMessageId: status.smscMessageId,
            errorCode: status.errorCode,
            errorReason: status.errorReason,
          }),
        { kind: SpanKind.CONSUMER, attributes: { 'orch.message_id': status.messageId, 'orch.delivery_status': status.status } },
      );
      if (!result.ok) {
        options.logger.warn({ eventId: envelope.id, messageId: status.messageId, code: result.error.code }, 'delivery status not applied');
      }
    },
  );
}
