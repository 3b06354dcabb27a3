import type { Clock, IdGenerator } from '@sms/kernel';
import { parseDeliveryReceipt } from '../domain/delivery-receipt.js';
import type { ReceiptParseFailure, ReceiptPdu } from '../domain/delivery-receipt.js';
import { deliveryStatusEnvelope } from '../domain/delivery-status-event.js';
import { combinePartStatuses, outcomeOfReceiptState } from '../domain/receipt-state.js';
import type { ReceiptState } from '../domain/receipt-state.js';
import { receiptLookupKey } from '../domain/smsc-message-id.js';
import type { SmscIdForms } from '../domain/smsc-message-id.js';
import type { FinalStatus, SmppUnitOfWork } from './ports/smpp-store.port.js';

export type ReceiptOutcomeReport =
  /** The message reached a final status with this receipt; the event is in the outbox. */
  | { readonly kind: 'reported'; readonly messageId: string; readonly status: FinalStatus }
  /** A part's receipt was recorded; other parts have none yet. */
  | { readonly kind: 'part-recorded'; readonly messageId: string }
  /** ENROUTE / ACCEPTD: nothing to report. */
  | { readonly kind: 'intermediate'; readonly state: ReceiptState }
  /** This part already had its final receipt (the SMSC sent it again). */
  | { readonly kind: 'duplicate'; readonly messageId: string }
  /** No submitted part has this id on this connection (yet). */
  | { readonly kind: 'unmatched'; readonly smscMessageId: string }
  /** Not a receipt, or one the gateway cannot read. */
  | { readonly kind: 'unreadable'; readonly failure: ReceiptParseFailure };

/**
 * Applies a delivery receipt (deliver_sm, esm_class 0x04) received on a connection: finds the part
 * by its normalised SMSC id, records the part's final state, and when every part of the message has
 * one, appends `sms.delivery.status.v1` with the message's status (delivered only when every part
 * was). Every outcome is a value (a receipt the gateway cannot use is still answered to the SMSC);
 * it throws only on infrastructure faults. The parts of the message are locked, so concurrent receipts of one message report once.
 */
export class HandleDeliveryReceipt {
  constructor(
    private readonly deps: {
      readonly unitOfWork: SmppUnitOfWork;
      readonly clock: Clock;
      readonly ids: IdGenerator;
      /** How each connection's SMSC writes ids in receipts versus submit responses; default 'same'. */
      readonly idFormsOf?: (connectionId: string) => SmscIdForms;
    },
  ) {}

  async execute(connectionId: string, pdu: ReceiptPdu): Promise<ReceiptOutcomeReport> {
    const parsed = parseDeliveryReceipt(pdu);
    if (!parsed.ok) return { kind: 'unreadable', failure: parsed.error };
    const receipt = parsed.value;
    const outcome = outcomeOfReceiptState(receipt.state);
    if (outcome.kind === 'intermediate') return { kind: 'intermediate', state: receipt.state };
    const key = receiptLookupKey(receipt.smscMessageId, this.deps.idFormsOf?.(connectionId) ?? 'same');
    if (key === null) return { kind: 'unreadable', failure: { kind: 'missing-id' } };

    return this.deps.unitOfWork.run(async (scope): Promise<ReceiptOutcomeReport> => {
        const found = await scope.findForReceipt(connectionId, key);
        if (found === null) return { kind: 'unmatched', smscMessageId: receipt.smscMessageId };
        const parts = await scope.partsOf(found.messageId, true);
        const part = parts.find((p) => p.partSequence === found.partSequence);
        if (part === undefined || part.receiptStatus !== null) return { kind: 'duplicate', messageId: found.messageId };
        const now = this.deps.clock.now();
        const errorCode = outcome.errorCode;
        await scope.recordReceipt(part.messageId, part.partSequence, outcome.status, errorCode, now);
        const combined = combinePartStatuses(
          parts.map((p) =>
            p.partSequence === part.partSequence ? { status: outcome.status, errorCode } : { status: p.receiptStatus, errorCode: p.receiptErrorCode },
          ),
        );
        if (combined === null || parts.length < part.totalParts) return { kind: 'part-recorded', messageId: part.messageId };
        const first = parts.find((p) => p.partSequence === 1) ?? part;
        await scope.appendEvent(
          deliveryStatusEnvelope(this.deps.ids.next(), {
            messageId: part.messageId,
            tenantId: part.tenantId,
            status: combined.status,
            smscMessageId: first.smscMessageId,
            errorCode: combined.errorCode,
            errorReason: combined.status === 'delivered' ? null : `receipt stat:${receipt.state}${receipt.errorCode === null ? '' : ` err:${receipt.errorCode}`}`,
            reportedAt: now.toISOString(),
            operatorId: part.operatorId,
            connectionId: part.connectionId,
          }),
        );
        return { kind: 'reported', messageId: part.messageId, status: combined.status };
      });
  }
}
