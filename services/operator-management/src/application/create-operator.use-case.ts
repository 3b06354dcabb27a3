import { err, ok, type Clock, type IdGenerator, type Result } from '@sms/kernel';
import { nestIssues } from '../domain/field-issue.js';
import type { OperatorKind } from '../domain/mcc-mnc.js';
import { createOperator, type Operator } from '../domain/operator.js';
import { bindPasswordIssues, type ConnectionSettings } from '../domain/smpp-connection.js';
import { operatorDuplicate, validationFailed, type OpsErrorOf } from '../domain/operator-management-errors.js';
import type { CredentialVault } from './credential-vault.js';
import { ALL_OPERATOR_FIELDS, type OpsEventFactory } from './ops-event-factory.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toOperatorView, type OperatorView } from './views.js';

export interface NewConnectionCommand extends ConnectionSettings {
  /** The bind password; stored in the secret store only. Absent: set it later. */
  readonly password?: string | null;
}

export interface CreateOperatorCommand {
  readonly code: string;
  readonly name: string;
  /** `mno` when absent. */
  readonly kind?: OperatorKind;
  readonly mcc: string | null;
  readonly mnc: string | null;
  /** `AF` when absent. */
  readonly country?: string;
  readonly status?: 'active' | 'suspended';
  readonly prefixes?: readonly string[];
  readonly connections: readonly NewConnectionCommand[];
}

export type CreateOperatorError = OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DUPLICATE' | 'OPS.SECRET_STORE_UNAVAILABLE'>;

export interface CreateOperatorDeps {
  readonly operators: OperatorRepository;
  readonly vault: CredentialVault;
  readonly events: OpsEventFactory;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * Creates an operator with its connections, and stores the bind passwords given with them.
 *
 * Order (docs/domain-model.md, "Credentials write path"): validate; refuse a duplicate early;
 * write each password to the secret store; then insert the record with its event. A secret
 * store failure therefore leaves no record at all; a failed insert (duplicate under a
 * concurrent create, or a database fault) is compensated by deleting the secrets just written.
 */
export class CreateOperator {
  constructor(private readonly deps: CreateOperatorDeps) {}

  async execute(command: CreateOperatorCommand): Promise<Result<OperatorView, CreateOperatorError>> {
    const { operators, vault, events, ids, clock } = this.deps;
    const now = clock.now();
    const operatorId = ids.next();
    const connectionIds = command.connections.map(() => ids.next());
    const created = createOperator(
      {
        code: command.code,
        name: command.name,
        kind: command.kind ?? 'mno',
        mcc: command.mcc,
        mnc: command.mnc,
        country: command.country ?? 'AF',
        ...(command.status ? { status: command.status } : {}),
        prefixes: command.prefixes ?? [],
        connections: command.connections,
      },
      { operatorId, connectionIds },
      now,
    );
    const passwordIssues = command.connections.flatMap((c, i) =>
      c.password === undefined || c.password === null ? [] : nestIssues(`connections[${i}]`, bindPasswordIssues(c.password, 'password')),
    );
    if (!created.ok || passwordIssues.length > 0) {
      return err(validationFailed([...(created.ok ? [] : created.error.issues), ...passwordIssues]));
    }

    const clash = await operators.findClash(created.value, null);
    if (clash) return err(operatorDuplicate(clash.field, clash.existingOperatorId));

    const written: { operatorId: string; connectionId: string }[] = [];
    const versions = new Map<string, number>();
    for (const [index, connection] of command.connections.entries()) {
      const connectionId = connectionIds[index] as string;
      if (connection.password === undefined || connection.password === null) continue;
      const stored = await vault.write(operatorId, connectionId, connection.password);
      if (!stored.ok) {
        await vault.removeAll(written);
        return err(stored.error);
      }
      written.push({ operatorId, connectionId });
      versions.set(connectionId, stored.value.version);
    }
    const operator: Operator = {
      ...created.value,
      connections: created.value.connections.map((c) => {
        const version = versions.get(c.id);
        return version === undefined ? c : { ...c, authentication: { version, changedAt: now } };
      }),
    };

    let outcome;
    try {
      outcome = await operators.insert(operator, [events.operatorChanged('created', operator, ALL_OPERATOR_FIELDS)]);
    } catch (error) {
      await vault.removeAll(written);
      throw error;
    }
    if (outcome.kind === 'duplicate') {
      await vault.removeAll(written);
      return err(operatorDuplicate(outcome.field, outcome.existingOperatorId));
    }
    return ok(toOperatorView(operator));
  }
}
