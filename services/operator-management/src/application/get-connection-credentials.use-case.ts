import { err, ok, type Result } from '@sms/kernel';
import { connectionNotFound, operatorDeleted, operatorNotFound, type OpsErrorOf } from '../domain/operator-management-errors.js';
import { SMPP_GATEWAY_SERVICE, type CallerIdentity } from './caller-identity.js';
import type { CredentialVault } from './credential-vault.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';

export interface GetConnectionCredentialsQuery {
  readonly caller: CallerIdentity;
  readonly operatorId: string;
  readonly connectionId: string;
}

/**
 * What the SMPP gateway needs to bind. The one response of this service that contains a
 * password: it must never be logged, cached or returned anywhere else.
 */
export interface ConnectionCredentials {
  readonly operatorId: string;
  readonly connectionId: string;
  readonly systemId: string;
  readonly password: string;
}

export type GetConnectionCredentialsError = OpsErrorOf<
  | 'OPS.CREDENTIALS_FORBIDDEN'
  | 'OPS.OPERATOR_NOT_FOUND'
  | 'OPS.OPERATOR_DELETED'
  | 'OPS.CONNECTION_NOT_FOUND'
  | 'OPS.CREDENTIALS_NOT_SET'
  | 'OPS.SECRET_STORE_UNAVAILABLE'
>;

/**
 * Returns a connection's bind credentials to an allowed service identity (the SMPP gateway by
 * default). Everyone else is refused before anything is looked up, so a refusal says nothing
 * about which operators exist. Deleted operators have no credentials.
 */
export class GetConnectionCredentials {
  private readonly allowedServices: ReadonlySet<string>;

  constructor(
    private readonly deps: {
      readonly operators: OperatorRepository;
      readonly vault: CredentialVault;
      /** Service identities allowed to read credentials; `[smpp-gateway]` when absent. */
      readonly allowedServices?: readonly string[];
    },
  ) {
    this.allowedServices = new Set(deps.allowedServices ?? [SMPP_GATEWAY_SERVICE]);
  }

  async execute(query: GetConnectionCredentialsQuery): Promise<Result<ConnectionCredentials, GetConnectionCredentialsError>> {
    const { caller } = query;
    if (caller.kind !== 'service' || !this.allowedServices.has(caller.service)) {
      return err({ code: 'OPS.CREDENTIALS_FORBIDDEN', detail: 'only the SMPP gateway service identity may read connection credentials' });
    }
    const operator = await this.deps.operators.findById(query.operatorId);
    if (!operator) return err(operatorNotFound(query.operatorId));
    if (operator.status === 'deleted') return err(operatorDeleted(operator.id));
    const connection = operator.connections.find((c) => c.id === query.connectionId);
    if (!connection) return err(connectionNotFound(operator.id, query.connectionId));
    const password = await this.deps.vault.read(operator.id, connection.id);
    if (!password.ok) return err(password.error);
    if (password.value === null) {
      return err({
        code: 'OPS.CREDENTIALS_NOT_SET',
        detail: `connection ${connection.id} has no bind password yet`,
        operatorId: operator.id,
        connectionId: connection.id,
      });
    }
    return ok({ operatorId: operator.id, connectionId: connection.id, systemId: connection.systemId, password: password.value });
  }
}
