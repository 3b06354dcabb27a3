import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { isMessageUse, MESSAGE_USES } from '../domain/number.js';
import type { MessageUse } from '../domain/number.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { integerInRange, requireText } from './input.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';

export interface AssignNumberInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly number: string;
  readonly tenantId: string;
  /** What the tenant may send from the number (at least one). */
  readonly uses: readonly string[];
  /** Lease term; the policy's default when absent. */
  readonly termDays?: number;
  /** Whether the daily renewal job extends the lease; true when absent. */
  readonly autoRenew?: boolean;
}

export function parseUses(raw: unknown): Result<readonly MessageUse[], NumberingError> {
  const invalid = numberingError('NUMBERING.INVALID_ARGUMENT', `uses must list one or more of ${MESSAGE_USES.join(', ')}`, {
    field: 'uses',
  });
  if (!Array.isArray(raw) || raw.length === 0) return err(invalid);
  const uses: MessageUse[] = [];
  for (const use of raw) {
    if (typeof use !== 'string' || !isMessageUse(use)) return err(invalid);
    if (!uses.includes(use)) uses.push(use);
  }
  return ok(uses.sort());
}

/** Assign: turns the tenant's live reservation into a lease for the permitted uses. */
export class AssignNumber {
  constructor(private readonly deps: NumberChangeDeps) {}

  async execute(input: AssignNumberInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const tenantId = requireText(input.tenantId, 'tenantId');
    if (!tenantId.ok) return tenantId;
    const uses = parseUses(input.uses);
    if (!uses.ok) return uses;
    const termDays = integerInRange(input.termDays, 'termDays', this.deps.policy.leaseTermDays);
    if (!termDays.ok) return termDays;
    if (input.autoRenew !== undefined && typeof input.autoRenew !== 'boolean')
      return err(numberingError('NUMBERING.INVALID_ARGUMENT', 'autoRenew must be true or false', { field: 'autoRenew' }));
    const autoRenew = input.autoRenew ?? true;
    const allowed = authorize(input.actor, 'number.assign', tenantId.value);
    if (!allowed.ok) return allowed;

    return changeNumber(this.deps, {
      meta: {
        name: 'number.assign',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: { number: sender.value.value, tenantId: tenantId.value, uses: uses.value, termDays: termDays.value, autoRenew },
      },
      number: sender.value.value,
      action: 'assign',
      build: () =>
        Promise.resolve(
          ok({
            action: 'assign',
            leaseId: this.deps.ids.next(),
            tenantId: tenantId.value,
            uses: uses.value,
            termDays: termDays.value,
            autoRenew,
          }),
        ),
    });
  }
}
