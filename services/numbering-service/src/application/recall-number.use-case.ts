import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { isRecallReason, RECALL_REASONS } from '../domain/number.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { oneOf } from './input.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';

export interface RecallNumberInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly number: string;
  readonly reason: string;
  /** Free text for the audit trail (a case number); at most 500 characters. */
  readonly note?: string;
}

/**
 * Recall: takes a reserved or leased number back from its tenant and holds it (`recalled`) until
 * compliance resolves the recall (quarantine, reinstate or retire). The lease stops validating at once.
 */
export class RecallNumber {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: RecallNumberInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const reason = oneOf(input.reason, 'reason', RECALL_REASONS, isRecallReason);
    if (!reason.ok) return reason;
    const note = input.note ?? null;
    if (note !== null && (typeof note !== 'string' || note.length > 500))
      return err(numberingError('NUMBERING.INVALID_ARGUMENT', 'note must be at most 500 characters', { field: 'note' }));
    const allowed = authorize(input.actor, 'number.recall');
    if (!allowed.ok) return allowed;

    return changeNumber(this.deps, {
      meta: {
        name: 'number.recall',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: { number: sender.value.value, reason: reason.value, note },
      },
      number: sender.value.value,
      action: 'recall',
      build: () => Promise.resolve(ok({ action: 'recall', reason: reason.value })),
      auditDetails: { note },
    });
  }
}
