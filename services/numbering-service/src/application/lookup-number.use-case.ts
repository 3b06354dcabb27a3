import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { holderOf } from '../domain/number.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize, isTenantActor } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { toNumberView, toPublicNumberView } from './number-view.js';
import type { NumberView, PublicNumberView } from './number-view.js';
import type { NumberRepository } from './ports/number.repository.port.js';

export interface LookupNumberInput {
  readonly actor: Actor;
  readonly number: string;
}

/** Staff, services and the holder get the full view; another tenant learns only whether it can reserve it. */
export type LookupNumberOutput =
  | { readonly view: 'full'; readonly number: NumberView }
  | { readonly view: 'public'; readonly number: PublicNumberView };

/** Lookup: one number of the inventory by value. */
export class LookupNumber {
  constructor(private readonly deps: { readonly numbers: NumberRepository }) {}

  async execute(input: LookupNumberInput): Promise<Result<LookupNumberOutput, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const allowed = authorize(input.actor, 'number.lookup');
    if (!allowed.ok) return allowed;
    const number = await this.deps.numbers.findByValue(sender.value.value);
    if (number === null) return err(numberingError('NUMBERING.NUMBER_NOT_FOUND', 'no such number in the inventory'));
    if (isTenantActor(input.actor) && holderOf(number) !== input.actor.tenantId) {
      return ok({ view: 'public', number: toPublicNumberView(number) });
    }
    return ok({ view: 'full', number: toNumberView(number) });
  }
}
