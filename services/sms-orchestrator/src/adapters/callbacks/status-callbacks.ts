import type { Bus, Subscription } from '@sms/bus';
import { PermanentHandlerError } from '@sms/bus';
import type { Logger } from '@sms/logging';
import { decodeEnvelope } from '@sms/outbox';
import { ORCHESTRATOR_EVENTS } from '../../domain/message-events.js';
import type { MessageStatusChangedData } from '../../domain/message-events.js';
import { IntervalJob } from '../jobs/interval-job.js';
import type { CallbackDispatcher } from './callback-dispatcher.js';

/** Durable consumer name of the status callbacks. */
export const CALLBACK_CONSUMER = 'sms-orchestrator-callbacks';

export interface StatusCallbacksOptions {
  readonly bus: Bus;
  /** `sms.message.status-changed` (with the deployment's prefix). */
  readonly subject: string;
  readonly dispatcher: CallbackDispatcher;
  readonly sweepIntervalMs: number;
  readonly logger: Logger;
}

export interface StatusCallbacks {
  stop(): Promise<void>;
}

function isStatusChanged(data: unknown): data is MessageStatusChangedData {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return typeof d['messageId'] === 'string' && typeof d['tenantId'] === 'string' && typeof d['status'] === 'string' && typeof d['changedAt'] === 'string';
}

/**
 * Consumes `sms.message.status-changed.v1`: each event of a message with a callback URL becomes a
 * recorded delivery and a first attempt; the sweeper retries the due ones. The event is acked once
 * the delivery is recorded, whatever the receiver answered (retries are the table's, not the bus's).
 */
export async function startStatusCallbacks(options: StatusCallbacksOptions): Promise<StatusCallbacks> {
  const subscription: Subscription = await options.bus.subscribe(
    { durable: CALLBACK_CONSUMER, subjects: [options.subject], maxDeliver: 10, backoffMs: [1_000, 5_000, 30_000] },
    async (delivered) => {
      const decoded = decodeEnvelope(delivered.payload);
      if (!decoded.ok) throw new PermanentHandlerError(`malformed status-changed event: ${decoded.error}`);
      const envelope = decoded.value;
      if (envelope.type !== ORCHESTRATOR_EVENTS.statusChanged.type) throw new PermanentHandlerError(`unexpected event type ${envelope.type}`);
      if (!isStatusChanged(envelope.data)) throw new PermanentHandlerError(`invalid ${envelope.type} ${envelope.id}`);
      await options.dispatcher.enqueue(envelope.id, envelope.data);
    },
  );
  const sweeper = new IntervalJob('callback-sweeper', options.sweepIntervalMs, () => options.dispatcher.sweep(), options.logger);
  sweeper.start();
  return {
    async stop() {
      await Promise.allSettled([subscription.stop(), sweeper.stop()]);
    },
  };
}
