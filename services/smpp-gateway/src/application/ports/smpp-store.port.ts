import type { EventEnvelope } from '@sms/kernel';
import type { DeliveryStatus } from '../../domain/receipt-state.js';

export type FinalStatus = Exclude<DeliveryStatus, 'submitted'>;

/** One accepted submit_sm: the map from the SMSC's message id to the platform's message. */
export interface SubmittedPart {
  readonly messageId: string;
  readonly tenantId: string;
  readonly operatorId: string;
  readonly connectionId: string;
  readonly partSequence: number;
  readonly totalParts: number;
  /** As the SMSC wrote it. */
  readonly smscMessageId: string;
  /** Canonical form (see domain/smsc-message-id.ts), the lookup key with the connection id. */
  readonly smscMessageIdKey: string;
  readonly submittedAt: Date;
  readonly receiptStatus: FinalStatus | null;
  readonly receiptErrorCode: string | null;
  readonly receiptAt: Date | null;
}

/** Work done in one transaction: part rows and the outbox. */
export interface SmppScope {
  /**
   * The parts of a message recorded so far, in part order; with `lock`, locked for update until
   * the transaction ends (so two receipts of one message are applied one after the other).
   */
  partsOf(messageId: string, lock?: boolean): Promise<readonly SubmittedPart[]>;
  /** Records an accepted part; a second record of the same (message, part) keeps the first. */
  recordPart(part: SubmittedPart): Promise<void>;
  /** The newest part submitted on this connection under this canonical SMSC id; null when none. */
  findForReceipt(connectionId: string, key: string): Promise<SubmittedPart | null>;
  /** Stores the final receipt of a part. */
  recordReceipt(messageId: string, partSequence: number, status: FinalStatus, errorCode: string | null, at: Date): Promise<void>;
  /** Appends an event to the outbox, published after commit. */
  appendEvent(envelope: EventEnvelope): Promise<void>;
}

/**
 * Runs `work` in one transaction over the gateway's tables and outbox; rolls back when it throws.
 * Throws on infrastructure faults.
 */
export interface SmppUnitOfWork {
  run<T>(work: (scope: SmppScope) => Promise<T>): Promise<T>;
}
