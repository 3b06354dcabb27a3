import type { Bus, Subscription } from '@sms/bus';
import { PermanentHandlerError } from '@sms/bus';
import type { Logger } from '@sms/logging';
import { decodeEnvelope } from '@sms/outbox';
import { SpanKind, withSpan } from '@sms/tracing';
import type { ProcessMessage } from '../../application/process-message.use-case.js';
import { ORCHESTRATOR_EVENTS } from '../../domain/message-events.js';

/** The durable consumer that runs the pipeline for accepted messages. */
export const PIPELINE_CONSUMER = 'orch-pipeline';

export interface PipelineTriggerOptions {
  readonly bus: Bus;
  /** Subject of `sms.message.accepted.v1` (with the deployment's prefix). */
  readonly subject: string;
  readonly processMessage: Pick<ProcessMessage, 'execute'>;
  readonly logger: Logger;
  /** Parallel workers: subscriptions sharing the durable (the bus runs one subject's messages one at a time per subscription). */
  readonly concurrency: number;
  readonly durable?: string;
}

/**
 * Runs `ProcessMessage` for every `sms.message.accepted.v1`. No inbox is needed: the use case
 * acts only on a message still `accepted` and due, and every write is a compare-and-swap, so a
 * redelivered event is skipped. A thrown infrastructure fault makes the bus redeliver (backoff);
 * a message whose event is lost for good is found by the retry sweeper (orphan check).
 */
export async function startPipelineTrigger(options: PipelineTriggerOptions): Promise<Subscription[]> {
  const spec = {
    durable: options.durable ?? PIPELINE_CONSUMER,
    subjects: [options.subject],
    maxDeliver: 10,
    backoffMs: [500, 2_000, 10_000, 30_000],
    ackWaitMs: 60_000,
  };
  const subscriptions: Subscription[] = [];
  try {
    for (let worker = 0; worker < options.concurrency; worker += 1) {
      subscriptions.push(
        await options.bus.subscribe(spec, async (delivered) => {
          const decoded = decodeEnvelope(delivered.payload);
          if (!decoded.ok) throw new PermanentHandlerError(`malformed accepted event: ${decoded.error}`);
          const envelope = decoded.value;
          if (envelope.type !== ORCHESTRATOR_EVENTS.accepted.type || envelope.tenantId === null) {
            throw new PermanentHandlerError(`unexpected event ${envelope.type} on the pipeline subject`);
          }
          const ref = { tenantId: envelope.tenantId, messageId: envelope.aggregateId };
          const result = await withSpan('orch.pipeline', () => options.processMessage.execute(ref), {
            kind: SpanKind.CONSUMER,
            attributes: { 'orch.message_id': ref.messageId, 'orch.tenant_id': ref.tenantId, 'messaging.delivery_attempt': delivered.deliveryAttempt },
          });
          if (!result.ok) options.logger.warn({ messageId: ref.messageId, tenantId: ref.tenantId }, 'accepted event for a message that does not exist');
          else options.logger.debug({ messageId: ref.messageId, outcome: result.value.kind }, 'pipeline run');
        }),
      );
    }
  } catch (error) {
    await Promise.allSettled(subscriptions.map((s) => s.stop()));
    throw error;
  }
  return subscriptions;
}
