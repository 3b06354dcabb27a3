import { mapResult, ok, type Clock, type Result } from '@sms/kernel';
import { removeConnection } from '../domain/operator.js';
import type { OpsErrorOf } from '../domain/operator-management-errors.js';
import { changeOperator, type ChangeFailure } from './change-operator.js';
import type { CredentialVault } from './credential-vault.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toOperatorView, type OperatorView } from './views.js';

export interface RemoveConnectionCommand {
  readonly operatorId: string;
  readonly connectionId: string;
  readonly expectedVersion?: number;
}

export interface RemoveConnectionResult {
  readonly operator: OperatorView;
  /** `pending` when the secret store was unavailable after the record was written; see docs/domain-model.md. */
  readonly storeCleanup: 'done' | 'pending';
}

export type RemoveConnectionError = OpsErrorOf<'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_NOT_FOUND' | 'OPS.LAST_CONNECTION'> | ChangeFailure;

/**
 * Removes a connection, then its bind password. Record first: if the secret store is down the
 * connection is still gone (the gateway unbinds on the event) and the orphaned secret is
 * unreadable, because credential reads look the connection up first and connection ids are
 * never reused. The other order could leave a connection whose password is gone.
 */
export class RemoveConnection {
  constructor(
    private readonly deps: {
      readonly operators: OperatorRepository;
      readonly vault: CredentialVault;
      readonly events: OpsEventFactory;
      readonly clock: Clock;
    },
  ) {}

  async execute(command: RemoveConnectionCommand): Promise<Result<RemoveConnectionResult, RemoveConnectionError>> {
    const now = this.deps.clock.now();
    const changed = await changeOperator(this.deps, command.operatorId, command.expectedVersion ?? null, (current) =>
      mapResult(removeConnection(current, command.connectionId, now), (operator) => ({
        operator,
        changedFields: [`connections[${command.connectionId}]`],
      })),
    );
    if (!changed.ok) return changed;
    const left = await this.deps.vault.removeAll([{ operatorId: command.operatorId, connectionId: command.connectionId }]);
    return ok({ operator: toOperatorView(changed.value.operator), storeCleanup: left.length === 0 ? 'done' : 'pending' });
  }
}
