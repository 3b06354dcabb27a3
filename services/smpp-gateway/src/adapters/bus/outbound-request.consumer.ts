import { z } from 'zod';
import type { Bus, Subscription } from '@sms/bus';
import { PermanentHandlerError } from '@sms/bus';
import type { Logger } from '@sms/logging';
import { decodeEnvelope } from '@sms/outbox';
import type { OutboundRequest, SubmitOutboundMessage } from '../../application/submit-outbound-message.use-case.js';

/** The orchestrator's dispatch event (packages/contracts, sms-orchestrator.events.ts). */
export const OUTBOUND_REQUEST_EVENT = { type: 'sms.outbound.requested.v1', subject: 'sms.outbound.request' } as const;
export const OUTBOUND_CONSUMER = 'smpp-gateway-outbound';

const outboundData = z.object({
  messageId: z.uuid(),
  tenantId: z.string().min(1).max(128),
  from: z.string().regex(/^(\+[1-9][0-9]{6,14}|[0-9]{3,8})$/),
  fromType: z.enum(['msisdn', 'short_code']),
  to: z.string().regex(/^\+[1-9][0-9]{6,14}$/),
  body: z.string().min(1).max(39015),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: z.number().int().min(1).max(255),
  operatorId: z.string().min(1).max(64),
  connectionId: z.string().min(1).max(128),
  validityPeriodSeconds: z.number().int(),
  expiresAt: z.iso.datetime({ offset: true }),
  attempt: z.number().int().min(1),
  clientReference: z.string().nullable(),
  requestedAt: z.iso.datetime({ offset: true }),
});

export interface OutboundConsumerOptions {
  readonly bus: Bus;
  readonly subject: string;
  readonly submitOutbound: Pick<SubmitOutboundMessage, 'execute'>;
  readonly logger: Logger;
  /** Parallel handlers (subscriptions sharing the durable). */
  readonly concurrency: number;
  readonly maxDeliver?: number;
  readonly backoffMs?: readonly number[];
  readonly onOutcome?: (outcome: string) => void;
}

/**
 * Consumes `sms.outbound.request`. A message is acknowledged only once every part was accepted by
 * the SMSC, or the SMSC refused it (reported `failed`); when it could not be handed over (throttled
 * through every resubmission, no bind) the handler throws, so the bus redelivers it after a backoff
 * and dead-letters it after `maxDeliver` attempts. A malformed event is dead-lettered at once. The
 * body and MSISDNs are never logged.
 */
export async function startOutboundConsumer(options: OutboundConsumerOptions): Promise<Subscription[]> {
  const handler = async (delivered: { readonly payload: Uint8Array }): Promise<void> => {
    const decoded = decodeEnvelope(delivered.payload);
    if (!decoded.ok) throw new PermanentHandlerError(`malformed outbound request: ${decoded.error}`);
    const envelope = decoded.value;
    if (envelope.type !== OUTBOUND_REQUEST_EVENT.type) throw new PermanentHandlerError(`unexpected event type ${envelope.type}`);
    const parsed = outboundData.safeParse(envelope.data);
    if (!parsed.success) throw new PermanentHandlerError(`invalid ${envelope.type} ${envelope.id}: ${z.prettifyError(parsed.error)}`);
    const data = parsed.data;
    const request: OutboundRequest = {
      messageId: data.messageId,
      tenantId: data.tenantId,
      from: data.from,
      fromType: data.fromType,
      to: data.to,
      body: data.body,
      encoding: data.encoding,
      segments: data.segments,
      operatorId: data.operatorId,
      connectionId: data.connectionId,
      expiresAt: new Date(data.expiresAt),
    };
    const result = await options.submitOutbound.execute(request);
    if (!result.ok) {
      options.onOutcome?.('deferred');
      options.logger.warn(
        { messageId: data.messageId, connectionId: data.connectionId, code: result.error.code, acceptedParts: result.error.acceptedParts },
        'outbound message not handed over; the bus will redeliver it',
      );
      throw new Error(`${result.error.code}: ${result.error.reason}`);
    }
    options.onOutcome?.(result.value.kind);
    if (result.value.kind === 'failed') {
      options.logger.warn({ messageId: data.messageId, connectionId: data.connectionId, errorCode: result.value.errorCode }, 'outbound message refused');
    }
  };
  const subscriptions: Subscription[] = [];
  try {
    for (let index = 0; index < options.concurrency; index += 1) {
      subscriptions.push(
        await options.bus.subscribe(
          {
            durable: OUTBOUND_CONSUMER,
            subjects: [options.subject],
            maxDeliver: options.maxDeliver ?? 10,
            backoffMs: options.backoffMs ?? [1_000, 2_000, 5_000, 15_000, 30_000],
            ackWaitMs: 120_000,
          },
          handler,
        ),
      );
    }
  } catch (error) {
    await Promise.allSettled(subscriptions.map((s) => s.stop()));
    throw error;
  }
  return subscriptions;
}
