import { err, ok, type Clock, type Result } from '@sms/kernel';
import { softDeleteOperator, type OperatorChange } from '../domain/operator.js';
import { operatorReferences } from '../domain/routing-rule.js';
import type { OpsErrorOf } from '../domain/operator-management-errors.js';
import { changeOperator, type ChangeFailure } from './change-operator.js';
import type { CredentialVault } from './credential-vault.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import type { RoutingRuleRepository } from './ports/routing-rule.repository.port.js';

export interface SoftDeleteOperatorCommand {
  readonly operatorId: string;
  readonly expectedVersion?: number;
}

export interface SoftDeleteOperatorResult {
  readonly operatorId: string;
  readonly deletedAt: string;
  /** True when the operator was already deleted (a retried delete): nothing changed. */
  readonly alreadyDeleted: boolean;
  /**
   * `done` when the bind passwords of its connections were removed from the secret store;
   * `pending` when the store was unavailable: the record is deleted regardless, and nothing can
   * read those secrets any more (credential reads refuse deleted operators); deleting again
   * retries the cleanup.
   */
  readonly storeCleanup: 'done' | 'pending';
}

export type SoftDeleteOperatorError = OpsErrorOf<'OPS.OPERATOR_IN_USE'> | ChangeFailure;

/**
 * Soft-deletes an operator: its row, connections and history stay (status `deleted`), it leaves
 * routing (`ops.operator.deleted.v1`), its code and MCC/MNC become free for a new operator, and
 * its bind passwords are removed from the secret store after the record is written. Refused
 * while a routing rule still targets it or lists it for failover.
 */
export class SoftDeleteOperator {
  constructor(
    private readonly deps: {
      readonly operators: OperatorRepository;
      readonly routingRules: RoutingRuleRepository;
      readonly vault: CredentialVault;
      readonly events: OpsEventFactory;
      readonly clock: Clock;
    },
  ) {}

  async execute(command: SoftDeleteOperatorCommand): Promise<Result<SoftDeleteOperatorResult, SoftDeleteOperatorError>> {
    const { routingRules, vault, events, clock } = this.deps;
    const rules = await routingRules.current();
    const ruleIds = [
      ...new Set(operatorReferences(rules.rules).filter((r) => r.operatorId === command.operatorId).map((r) => r.ruleId)),
    ];
    if (ruleIds.length > 0) {
      return err({
        code: 'OPS.OPERATOR_IN_USE',
        detail: `routing rules ${ruleIds.join(', ')} still route to operator ${command.operatorId}`,
        operatorId: command.operatorId,
        ruleIds,
      });
    }
    const now = clock.now();
    let alreadyDeleted = false;
    const changed = await changeOperator(
      this.deps,
      command.operatorId,
      command.expectedVersion ?? null,
      (current): Result<OperatorChange, never> => {
        const result = softDeleteOperator(current, now);
        alreadyDeleted = result.alreadyDeleted;
        return ok({ operator: result.operator, changedFields: result.alreadyDeleted ? [] : ['status'] });
      },
      (change) => [events.operatorDeleted(change.operator)],
    );
    if (!changed.ok) return changed;
    const operator = changed.value.operator;
    // Also on a retried delete: that finishes a cleanup the store was down for the first time.
    const left = await vault.removeAll(operator.connections.map((c) => ({ operatorId: operator.id, connectionId: c.id })));
    return ok({
      operatorId: operator.id,
      deletedAt: (operator.deletedAt ?? now).toISOString(),
      alreadyDeleted,
      storeCleanup: left.length === 0 ? 'done' : 'pending',
    });
  }
}
