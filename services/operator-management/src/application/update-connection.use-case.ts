import { ok, type Clock, type Result } from '@sms/kernel';
import { updateConnection } from '../domain/operator.js';
import type { ConnectionSettings } from '../domain/smpp-connection.js';
import type { OpsErrorOf } from '../domain/operator-management-errors.js';
import { changeOperator, type ChangeFailure } from './change-operator.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toOperatorView, type OperatorView } from './views.js';

export interface UpdateConnectionCommand {
  readonly operatorId: string;
  readonly connectionId: string;
  readonly expectedVersion?: number;
  /** Settings to change; the password is not one of them (SetConnectionPassword). */
  readonly patch: Partial<ConnectionSettings>;
}

export type UpdateConnectionError =
  | OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_NOT_FOUND' | 'OPS.CONNECTION_DUPLICATE'>
  | ChangeFailure;

/** Changes an SMPP connection's settings (host, port, window, throughput, …). No secret store involved. */
export class UpdateConnection {
  constructor(private readonly deps: { readonly operators: OperatorRepository; readonly events: OpsEventFactory; readonly clock: Clock }) {}

  async execute(
    command: UpdateConnectionCommand,
  ): Promise<Result<{ readonly operator: OperatorView; readonly changedFields: readonly string[] }, UpdateConnectionError>> {
    const now = this.deps.clock.now();
    const changed = await changeOperator(this.deps, command.operatorId, command.expectedVersion ?? null, (current) =>
      updateConnection(current, command.connectionId, command.patch, now),
    );
    if (!changed.ok) return changed;
    return ok({ operator: toOperatorView(changed.value.operator), changedFields: changed.value.changedFields });
  }
}
