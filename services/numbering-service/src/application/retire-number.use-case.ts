import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { isRetirementReason, RETIREMENT_REASONS } from '../domain/number.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { oneOf } from './input.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';

export interface RetireNumberInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly number: string;
  readonly reason: string;
}

/**
 * RetireNumber: withdraws a number from the inventory for good (contract ended, operator withdrew it,
 * regulator order). Allowed from available, quarantined or recalled; a held number is recalled first.
 */
export class RetireNumber {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: RetireNumberInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const reason = oneOf(input.reason, 'reason', RETIREMENT_REASONS, isRetirementReason);
    if (!reason.ok) return reason;
    const allowed = authorize(input.actor, 'number.retire');
    if (!allowed.ok) return allowed;
    return changeNumber(this.deps, {
      meta: {
        name: 'number.retire',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: { number: sender.value.value, reason: reason.value },
      },
      number: sender.value.value,
      action: 'retire',
      build: () => Promise.resolve(ok({ action: 'retire', reason: reason.value })),
    });
  }
}
