import { err, ok, type Result } from '@sms/kernel';
import type { Operator, OperatorChange } from '../domain/operator.js';
import type { OpsEvent } from '../domain/operator-events.js';
import {
  operatorDuplicate,
  operatorNotFound,
  versionConflict,
  type OpsError,
  type OpsErrorOf,
} from '../domain/operator-management-errors.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';

/** Attempts of a read-change-write cycle when a concurrent write gets in between. */
export const MAX_WRITE_ATTEMPTS = 5;

export type ChangeFailure = OpsErrorOf<'OPS.OPERATOR_NOT_FOUND' | 'OPS.VERSION_CONFLICT' | 'OPS.OPERATOR_DUPLICATE'>;

export interface ChangeOperatorDeps {
  readonly operators: OperatorRepository;
  readonly events: OpsEventFactory;
}

/**
 * Reads the operator, applies `mutate`, and writes the result with its events, compare-and-swap
 * on the version. With `expectedVersion` the caller's read must still be current; without one, a
 * concurrent write makes it read again and re-apply (the change is re-validated each time), up
 * to {@link MAX_WRITE_ATTEMPTS}. A mutation that changes nothing writes nothing and emits nothing.
 */
export async function changeOperator<E extends OpsError>(
  deps: ChangeOperatorDeps,
  operatorId: string,
  expectedVersion: number | null,
  mutate: (current: Operator) => Result<OperatorChange, E>,
  eventsFor: (change: OperatorChange) => OpsEvent[] = (change) => [
    deps.events.operatorChanged('updated', change.operator, change.changedFields),
  ],
): Promise<Result<OperatorChange, E | ChangeFailure>> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.operators.findById(operatorId);
    if (!current) return err(operatorNotFound(operatorId));
    if (expectedVersion !== null && current.version !== expectedVersion) return err(versionConflict(expectedVersion, current.version));
    const mutated = mutate(current);
    if (!mutated.ok) return mutated;
    const change = mutated.value;
    if (change.changedFields.length === 0) return ok(change);
    const outcome = await deps.operators.update(change.operator, current.version, eventsFor(change));
    switch (outcome.kind) {
      case 'updated':
        return ok(change);
      case 'duplicate':
        return err(operatorDuplicate(outcome.field, outcome.existingOperatorId));
      case 'version_conflict':
        if (expectedVersion !== null || attempt >= MAX_WRITE_ATTEMPTS) {
          return err(versionConflict(expectedVersion ?? current.version, outcome.actualVersion));
        }
    }
  }
}
