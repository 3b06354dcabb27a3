import { err, ok } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import { messageStatusChanged } from '../domain/message-events.js';
import type { DeliveryStatus, MessageStatus } from '../domain/message-status.js';
import type { InvalidTransition } from '../domain/sms-message.js';
import { messageNotFound } from './get-message.use-case.js';
import type { MessageNotFound } from './get-message.use-case.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

/**
 * A delivery status event of the SMPP gateway, as its consumer adapter decodes it: the submit
 * response (`submitted`, with the SMSC message id) or a delivery receipt (a final status, with
 * the operator's error code when it is a failure).
 */
export interface DeliveryStatusEvent {
  /** The event's id; recorded in the inbox so a redelivery is skipped. */
  readonly eventId: string;
  readonly tenantId: string;
  readonly messageId: string;
  readonly status: DeliveryStatus;
  readonly occurredAt: Date;
  readonly smscMessageId: string | null;
  readonly errorCode: string | null;
  readonly errorReason: string | null;
}

export type ApplyDeliveryStatusOutcome =
  | { readonly kind: 'applied'; readonly from: MessageStatus; readonly to: MessageStatus }
  /** The status did not change (a duplicate, or a report after a final status); see {@link SmsMessage.applyDeliveryReport}. */
  | { readonly kind: 'ignored'; readonly reason: 'duplicate' | 'already-final' }
  /** This event id was handled before. */
  | { readonly kind: 'already-handled' };

/** Thrown when other writers kept changing the message through every attempt; the bus should redeliver later. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

/** The inbox consumer name of this use case. */
export const DELIVERY_STATUS_CONSUMER = 'orch-delivery-status';

type ApplyResult = Result<ApplyDeliveryStatusOutcome, MessageNotFound | InvalidTransition>;

const ATTEMPTS_ON_CONFLICT = 3;

class Conflict extends Error {}

/**
 * Moves a message to the status the SMPP gateway reports, idempotently: the event id goes into
 * the inbox in the same transaction as the change, and the aggregate's out-of-order rule never
 * lets a late report move a message backwards. A status change appends
 * `sms.message.status-changed.v1`. An error result (unknown message, impossible transition) is
 * permanent: the event is still marked handled, so redelivering it changes nothing.
 */
export class ApplyDeliveryStatus {
  constructor(private readonly deps: { readonly unitOfWork: UnitOfWork; readonly clock: Clock; readonly ids: IdGenerator }) {}

  async execute(event: DeliveryStatusEvent): Promise<ApplyResult> {
    for (let attempt = 1; attempt <= ATTEMPTS_ON_CONFLICT; attempt += 1) {
      try {
        return await this.deps.unitOfWork.run(event.tenantId, async (scope): Promise<ApplyResult> => {
          if (!(await scope.inbox.markHandled(DELIVERY_STATUS_CONSUMER, event.eventId))) return ok({ kind: 'already-handled' });
          const message = await scope.messages.findById(event.messageId);
          if (message === null) return err(messageNotFound(event.messageId));
          const now = this.deps.clock.now();
          const applied = message.applyDeliveryReport(event, now);
          if (!applied.ok) return applied;
          const outcome = applied.value;
          if (outcome.kind === 'ignored' && !outcome.smscMessageIdRecorded) return ok({ kind: 'ignored', reason: outcome.reason });
          // Throwing rolls back the inbox mark too, so the next attempt starts clean.
          if (!(await scope.messages.update(message))) throw new Conflict();
          if (outcome.kind === 'ignored') return ok({ kind: 'ignored', reason: outcome.reason });
          await scope.outbox.append([messageStatusChanged(message, outcome.change, this.deps.ids.next(), now)]);
          return ok({ kind: 'applied', from: outcome.change.from, to: outcome.change.to });
        });
      } catch (error) {
        if (!(error instanceof Conflict)) throw error;
      }
    }
    throw new ConcurrentUpdateError(`message ${event.messageId} kept changing during ${ATTEMPTS_ON_CONFLICT} attempts to apply event ${event.eventId}`);
  }
}
