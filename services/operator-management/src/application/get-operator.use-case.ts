import { err, ok, type Result } from '@sms/kernel';
import { operatorNotFound, type OpsErrorOf } from '../domain/operator-management-errors.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toOperatorView, type OperatorView } from './views.js';

/**
 * Reads one operator, deleted ones included (their history stays readable; `status` says
 * `deleted`). Never touches the secret store, so reads work while it is down.
 */
export class GetOperator {
  constructor(private readonly deps: { readonly operators: OperatorRepository }) {}

  async execute(operatorId: string): Promise<Result<OperatorView, OpsErrorOf<'OPS.OPERATOR_NOT_FOUND'>>> {
    const operator = await this.deps.operators.findById(operatorId);
    return operator ? ok(toOperatorView(operator)) : err(operatorNotFound(operatorId));
  }
}
