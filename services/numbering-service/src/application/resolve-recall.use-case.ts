import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { RecallQuarantineReason } from '../domain/number-state-machine.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { oneOf } from './input.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';

const DECISIONS = ['quarantine', 'reinstate'] as const;
type Decision = (typeof DECISIONS)[number];
const RECALL_QUARANTINE_REASONS = ['compliance_recall', 'released'] as const;

export interface ResolveRecallInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly number: string;
  /** `quarantine` starts the cool-off; `reinstate` gives the lease back to its tenant (recalls from a lease only). */
  readonly decision: string;
  /**
   * Cool-off class for `quarantine`: `compliance_recall` (365 days by default, the default choice) for
   * abuse, or `released` (90 days) when the recall was not the tenant's fault (e.g. a deleted tenant).
   */
  readonly quarantineReason?: string;
}

/** ResolveRecall: compliance's decision on a recalled number. Retirement is {@link RetireNumber}. */
export class ResolveRecall {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: ResolveRecallInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const decision = oneOf(input.decision, 'decision', DECISIONS, (v): v is Decision => (DECISIONS as readonly string[]).includes(v));
    if (!decision.ok) return decision;
    const reason = oneOf(
      input.quarantineReason ?? 'compliance_recall',
      'quarantineReason',
      RECALL_QUARANTINE_REASONS,
      (v): v is RecallQuarantineReason => (RECALL_QUARANTINE_REASONS as readonly string[]).includes(v),
    );
    if (!reason.ok) return reason;
    const allowed = authorize(input.actor, 'recall.resolve');
    if (!allowed.ok) return allowed;

    return changeNumber(this.deps, {
      meta: {
        name: 'recall.resolve',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: {
          number: sender.value.value,
          decision: decision.value,
          quarantineReason: decision.value === 'quarantine' ? reason.value : null,
        },
      },
      number: sender.value.value,
      action: decision.value,
      build: () =>
        Promise.resolve(ok(decision.value === 'quarantine' ? { action: 'quarantine', reason: reason.value } : { action: 'reinstate' })),
    });
  }
}
