import { err, ok } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import { concatenationReference, deliveryStatusEnvelope } from '../domain/delivery-status-event.js';
import type { DeliveryStatusData } from '../domain/delivery-status-event.js';
import { splitMessage } from '../domain/message-parts.js';
import type { MessageEncoding } from '../domain/message-parts.js';
import type { DeliveryStatus } from '../domain/receipt-state.js';
import { canonicalSmscMessageId } from '../domain/smsc-message-id.js';
import { DEFAULT_SUBMIT_RETRY_POLICY, decideAfterSubmit } from '../domain/submit-retry-policy.js';
import type { RetryPolicy } from '../domain/submit-retry-policy.js';
import type { Sleeper, SmscSubmitter } from './ports/smsc-submitter.port.js';
import type { SmppUnitOfWork, SubmittedPart } from './ports/smpp-store.port.js';

/** `sms.outbound.requested.v1` data, as the consumer adapter decodes it. */
export interface OutboundRequest {
  readonly messageId: string;
  readonly tenantId: string;
  readonly from: string;
  readonly fromType: 'msisdn' | 'short_code';
  readonly to: string;
  readonly body: string;
  readonly encoding: MessageEncoding;
  readonly segments: number;
  readonly operatorId: string;
  readonly connectionId: string;
  readonly expiresAt: Date;
}

export type SubmitOutcome =
  /** Every part accepted now; a `submitted` event is in the outbox. */
  | { readonly kind: 'submitted'; readonly parts: number }
  /** A redelivery of a message whose parts were all accepted before: nothing sent. */
  | { readonly kind: 'already-submitted' }
  /** The SMSC refused it or it cannot be sent; a `failed` or `expired` event is in the outbox. */
  | { readonly kind: 'failed'; readonly status: DeliveryStatus; readonly errorCode: string };

/**
 * The message could not be handed over now (throttled through every attempt, or no bind): the
 * caller must not ack, so the bus redelivers it later or dead-letters it. Parts already accepted
 * are recorded and are not sent again.
 */
export interface SubmitDeferred {
  readonly code: 'SMPP.THROTTLED' | 'SMPP.UNAVAILABLE';
  readonly reason: string;
  /** Parts accepted so far. */
  readonly acceptedParts: number;
}

export interface SubmitOutboundMessageDeps {
  readonly unitOfWork: SmppUnitOfWork;
  readonly submitter: SmscSubmitter;
  readonly sleeper: Sleeper;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly retryPolicy?: RetryPolicy;
}

/**
 * Submits one outbound message over its connection: splits it (UDH, data coding), sends the parts
 * not yet accepted, resubmitting a part after ESME_RTHROTTLED / ESME_RMSGQFUL with backoff, records
 * each accepted part's SMSC id at once, and appends `sms.delivery.status.v1` (`submitted`) in the
 * transaction that records the last part. A refusal appends `failed`; an expired message `expired`.
 */
export class SubmitOutboundMessage {
  private readonly policy: RetryPolicy;

  constructor(private readonly deps: SubmitOutboundMessageDeps) {
    this.policy = deps.retryPolicy ?? DEFAULT_SUBMIT_RETRY_POLICY;
  }

  async execute(request: OutboundRequest): Promise<Result<SubmitOutcome, SubmitDeferred>> {
    const recorded = await this.deps.unitOfWork.run((scope) => scope.partsOf(request.messageId));
    const split = splitMessage(request.body, request.encoding, concatenationReference(request.messageId));
    if (!split.ok) {
      const reason =
        split.error.kind === 'not-gsm7' ? `the body has a character outside GSM-7 but came with encoding GSM-7` : `the body needs ${split.error.parts} parts, more than 255`;
      return ok(await this.fail(request, 'failed', 'SMPP.ENCODING', reason));
    }
    const parts = split.value.parts;
    if (recorded.length >= parts.length) return ok({ kind: 'already-submitted' });
    if (recorded.length === 0 && this.deps.clock.now() >= request.expiresAt) {
      return ok(await this.fail(request, 'expired', 'SMPP.VALIDITY_ELAPSED', 'the validity period ended before submission'));
    }

    const done = new Set(recorded.map((part) => part.partSequence));
    let accepted = recorded.length;
    for (const part of parts) {
      if (done.has(part.sequence)) continue;
      for (let attempt = 1; ; attempt += 1) {
        const response = await this.deps.submitter.submit({
          connectionId: request.connectionId,
          sourceAddr: request.from.replace(/^\+/, ''),
          sourceType: request.fromType,
          destinationAddr: request.to.replace(/^\+/, ''),
          dataCoding: split.value.dataCoding,
          esmClass: split.value.esmClass,
          shortMessage: part.shortMessage,
          validUntil: request.expiresAt,
          receipt: true,
        });
        if (response.kind === 'unavailable') return err({ code: 'SMPP.UNAVAILABLE', reason: response.reason, acceptedParts: accepted });
        const decision = decideAfterSubmit(response.commandStatus, attempt, this.policy);
        if (decision.kind === 'retry') {
          await this.deps.sleeper.sleep(decision.delayMs);
          continue;
        }
        if (decision.kind === 'give-up') {
          return err({ code: 'SMPP.THROTTLED', reason: `${decision.errorCode} through ${attempt} attempts`, acceptedParts: accepted });
        }
        if (decision.kind === 'rejected') {
          return ok(await this.fail(request, 'failed', decision.errorCode, `the SMSC refused part ${part.sequence} of ${parts.length}`));
        }
        const smscMessageId = response.smscMessageId ?? '';
        const row: SubmittedPart = {
          messageId: request.messageId,
          tenantId: request.tenantId,
          operatorId: request.operatorId,
          connectionId: request.connectionId,
          partSequence: part.sequence,
          totalParts: parts.length,
          smscMessageId,
          smscMessageIdKey: canonicalSmscMessageId(smscMessageId),
          submittedAt: this.deps.clock.now(),
          receiptStatus: null,
          receiptErrorCode: null,
          receiptAt: null,
        };
        accepted += 1;
        const last = accepted === parts.length;
        await this.deps.unitOfWork.run(async (scope) => {
          await scope.recordPart(row);
          if (!last) return;
          const first = (await scope.partsOf(request.messageId)).find((p) => p.partSequence === 1);
          await scope.appendEvent(
            deliveryStatusEnvelope(this.deps.ids.next(), this.data(request, 'submitted', first?.smscMessageId ?? smscMessageId, null, null)),
          );
        });
        break;
      }
    }
    return ok({ kind: 'submitted', parts: parts.length });
  }

  private data(
    request: OutboundRequest,
    status: DeliveryStatus,
    smscMessageId: string | null,
    errorCode: string | null,
    errorReason: string | null,
  ): DeliveryStatusData {
    return {
      messageId: request.messageId,
      tenantId: request.tenantId,
      status,
      smscMessageId: smscMessageId === '' ? null : smscMessageId,
      errorCode,
      errorReason,
      reportedAt: this.deps.clock.now().toISOString(),
      operatorId: request.operatorId,
      connectionId: request.connectionId,
    };
  }

  private async fail(request: OutboundRequest, status: DeliveryStatus, errorCode: string, reason: string): Promise<SubmitOutcome> {
    await this.deps.unitOfWork.run((scope) =>
      scope.appendEvent(deliveryStatusEnvelope(this.deps.ids.next(), this.data(request, status, null, errorCode, reason))),
    );
    return { kind: 'failed', status, errorCode };
  }
}
