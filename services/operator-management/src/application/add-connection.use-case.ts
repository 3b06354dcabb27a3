import { err, mapResult, ok, type Clock, type IdGenerator, type Result } from '@sms/kernel';
import { addConnection } from '../domain/operator.js';
import { bindPasswordIssues, type ConnectionSettings } from '../domain/smpp-connection.js';
import { operatorNotFound, validationFailed, type OpsErrorOf } from '../domain/operator-management-errors.js';
import { changeOperator, type ChangeFailure } from './change-operator.js';
import type { CredentialVault } from './credential-vault.js';
import type { OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toOperatorView, type OperatorView } from './views.js';

export interface AddConnectionCommand {
  readonly operatorId: string;
  readonly settings: ConnectionSettings;
  /** Stored in the secret store only; absent: set it later with SetConnectionPassword. */
  readonly password?: string | null;
}

export interface AddConnectionResult {
  readonly connectionId: string;
  readonly operator: OperatorView;
}

export type AddConnectionError =
  | OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_DUPLICATE' | 'OPS.SECRET_STORE_UNAVAILABLE'>
  | ChangeFailure;

/**
 * Adds an SMPP connection, with its bind password when given. Same order as creation: the
 * change is checked first, the password goes to the secret store, then the record is written;
 * if the record cannot be written the secret is deleted again. With the store down, the call is
 * refused (`OPS.SECRET_STORE_UNAVAILABLE`) and nothing is recorded.
 */
export class AddConnection {
  constructor(
    private readonly deps: {
      readonly operators: OperatorRepository;
      readonly vault: CredentialVault;
      readonly events: OpsEventFactory;
      readonly ids: IdGenerator;
      readonly clock: Clock;
    },
  ) {}

  async execute(command: AddConnectionCommand): Promise<Result<AddConnectionResult, AddConnectionError>> {
    const { operators, vault, ids, clock } = this.deps;
    const now = clock.now();
    const connectionId = ids.next();
    const password = command.password ?? null;
    const passwordIssues = password === null ? [] : bindPasswordIssues(password, 'password');
    if (passwordIssues.length > 0) return err(validationFailed(passwordIssues));

    // Check the change before anything is written to the secret store.
    const current = await operators.findById(command.operatorId);
    if (!current) return err(operatorNotFound(command.operatorId));
    const trial = addConnection(current, connectionId, command.settings, now);
    if (!trial.ok) return trial;

    let version: number | null = null;
    if (password !== null) {
      const stored = await vault.write(command.operatorId, connectionId, password);
      if (!stored.ok) return err(stored.error);
      version = stored.value.version;
    }
    const compensate = async (): Promise<void> => {
      if (version !== null) await vault.removeAll([{ operatorId: command.operatorId, connectionId }]);
    };

    const authentication = version === null ? null : { version, changedAt: now };
    const changedFields = [`connections[${connectionId}]`, ...(version === null ? [] : [`connections[${connectionId}].authentication`])];
    let changed;
    try {
      changed = await changeOperator(this.deps, command.operatorId, null, (operator) =>
        mapResult(addConnection(operator, connectionId, command.settings, now, authentication), (next) => ({ operator: next, changedFields })),
      );
    } catch (error) {
      await compensate();
      throw error;
    }
    if (!changed.ok) {
      await compensate();
      return err(changed.error);
    }
    return ok({ connectionId, operator: toOperatorView(changed.value.operator) });
  }
}
