import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';

export interface EndQuarantineInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly number: string;
}

/**
 * EndQuarantine: returns a quarantined number to `available` once its cool-off has ended, never before.
 * Driven by the quarantine sweep (every 5 minutes, issue 7), one call per number.
 */
export class EndQuarantine {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: EndQuarantineInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const allowed = authorize(input.actor, 'quarantine.end');
    if (!allowed.ok) return allowed;
    return changeNumber(this.deps, {
      meta: { name: 'quarantine.end', actor: input.actor, idempotencyKey: input.idempotencyKey, request: { number: sender.value.value } },
      number: sender.value.value,
      action: 'end_quarantine',
      build: () => Promise.resolve(ok({ action: 'end_quarantine' })),
    });
  }
}
