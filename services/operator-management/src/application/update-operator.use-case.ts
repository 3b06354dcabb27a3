import { ok, type Clock, type Result } from '@sms/kernel';
import { updateOperator, type OperatorPatch } from '../domain/operator.js';
import type { OpsErrorOf } from '../domain/operator-management-errors.js';
import { changeOperator, type ChangeFailure } from './change-operator.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toOperatorView, type OperatorView } from './views.js';

export interface UpdateOperatorCommand {
  readonly operatorId: string;
  /** The version the caller read (If-Match); absent: apply to whatever is current. */
  readonly expectedVersion?: number;
  readonly patch: OperatorPatch;
}

export type UpdateOperatorError = OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DELETED'> | ChangeFailure;

export interface UpdateOperatorResult {
  readonly operator: OperatorView;
  /** Empty when the patch changed nothing (no new version, no event). */
  readonly changedFields: readonly string[];
}

/**
 * Changes operator-level fields (code, name, kind, MCC/MNC, country, prefixes) and suspends or
 * resumes. A new code or MCC/MNC that a live operator already has is refused as a duplicate.
 * Connections have their own use cases; deletion is {@link SoftDeleteOperator}.
 */
export class UpdateOperator {
  constructor(private readonly deps: { readonly operators: OperatorRepository; readonly events: OpsEventFactory; readonly clock: Clock }) {}

  async execute(command: UpdateOperatorCommand): Promise<Result<UpdateOperatorResult, UpdateOperatorError>> {
    const now = this.deps.clock.now();
    const changed = await changeOperator(this.deps, command.operatorId, command.expectedVersion ?? null, (current) =>
      updateOperator(current, command.patch, now),
    );
    if (!changed.ok) return changed;
    return ok({ operator: toOperatorView(changed.value.operator), changedFields: changed.value.changedFields });
  }
}
