import { err, ok, type Result } from '@sms/kernel';
import { operatorNotFound, type OpsErrorOf } from '../domain/operator-management-errors.js';
import { liveOperators } from './live-operators.js';
import type { CurrentHealthRepository } from './ports/current-health.repository.port.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toHealthView, unknownHealthView, type OperatorHealthView } from './views.js';

/** The current health of one operator (`unknown` before its first report). */
export class GetOperatorHealth {
  constructor(private readonly deps: { readonly operators: OperatorRepository; readonly currentHealth: CurrentHealthRepository }) {}

  async execute(operatorId: string): Promise<Result<OperatorHealthView, OpsErrorOf<'OPS.OPERATOR_NOT_FOUND'>>> {
    const operator = await this.deps.operators.findById(operatorId);
    if (!operator) return err(operatorNotFound(operatorId));
    const health = await this.deps.currentHealth.get(operatorId);
    return ok(health ? toHealthView(health) : unknownHealthView(operatorId));
  }
}

/** The current health of every operator that is not deleted, in creation order. */
export class ListOperatorHealth {
  constructor(private readonly deps: { readonly operators: OperatorRepository; readonly currentHealth: CurrentHealthRepository }) {}

  async execute(): Promise<readonly OperatorHealthView[]> {
    const known = new Map((await this.deps.currentHealth.list()).map((h) => [h.operatorId, h]));
    return (await liveOperators(this.deps.operators)).map((operator) => {
      const health = known.get(operator.id);
      return health ? toHealthView(health) : unknownHealthView(operator.id);
    });
  }
}
