import { err, mapResult, ok, type Clock, type Result } from '@sms/kernel';
import { recordAuthentication } from '../domain/operator.js';
import { bindPasswordIssues } from '../domain/smpp-connection.js';
import { connectionNotFound, operatorDeleted, operatorNotFound, validationFailed, type OpsErrorOf } from '../domain/operator-management-errors.js';
import { changeOperator, type ChangeFailure } from './change-operator.js';
import type { CredentialVault } from './credential-vault.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';

export interface SetConnectionPasswordCommand {
  readonly operatorId: string;
  readonly connectionId: string;
  readonly password: string;
}

/** The outcome, without the password. */
export interface SetConnectionPasswordResult {
  readonly operatorId: string;
  readonly connectionId: string;
  /** The secret-store version now current; 1 for a first password, higher after rotations. */
  readonly authVersion: number;
  readonly changedAt: string;
  readonly rotated: boolean;
}

export type SetConnectionPasswordError =
  | OpsErrorOf<
      'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_NOT_FOUND' | 'OPS.SECRET_STORE_UNAVAILABLE'
    >
  | ChangeFailure;

/**
 * Sets or rotates a connection's bind password. The secret store is written first (a new KV
 * version); only then is the record's authentication version updated, with an
 * `ops.operator.changed.v1` event that tells the gateway to fetch the new password and rebind.
 * With the store down nothing changes (503). If the record cannot be updated after the write:
 * when the connection or operator disappeared meanwhile, the secret is removed (compensation);
 * otherwise the new password stays current in the store (it is the source of truth for the value)
 * and a retry brings the record's version in line.
 */
export class SetConnectionPassword {
  constructor(
    private readonly deps: {
      readonly operators: OperatorRepository;
      readonly vault: CredentialVault;
      readonly events: OpsEventFactory;
      readonly clock: Clock;
    },
  ) {}

  async execute(command: SetConnectionPasswordCommand): Promise<Result<SetConnectionPasswordResult, SetConnectionPasswordError>> {
    const { operators, vault, clock } = this.deps;
    const issues = bindPasswordIssues(command.password, 'password');
    if (issues.length > 0) return err(validationFailed(issues));
    const current = await operators.findById(command.operatorId);
    if (!current) return err(operatorNotFound(command.operatorId));
    if (current.status === 'deleted') return err(operatorDeleted(current.id));
    const connection = current.connections.find((c) => c.id === command.connectionId);
    if (!connection) return err(connectionNotFound(current.id, command.connectionId));

    const stored = await vault.write(command.operatorId, command.connectionId, command.password);
    if (!stored.ok) return err(stored.error);

    const now = clock.now();
    const changed = await changeOperator(this.deps, command.operatorId, null, (operator) =>
      mapResult(recordAuthentication(operator, command.connectionId, stored.value.version, now), (next) => ({
        operator: next,
        changedFields: [`connections[${command.connectionId}].authentication`],
      })),
    );
    if (!changed.ok) {
      const gone = changed.error.code === 'OPS.CONNECTION_NOT_FOUND' || changed.error.code === 'OPS.OPERATOR_DELETED';
      if (gone) await vault.removeAll([{ operatorId: command.operatorId, connectionId: command.connectionId }]);
      return err(changed.error);
    }
    return ok({
      operatorId: command.operatorId,
      connectionId: command.connectionId,
      authVersion: stored.value.version,
      changedAt: now.toISOString(),
      rotated: connection.authentication !== null,
    });
  }
}
