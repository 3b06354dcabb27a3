import type { Kysely } from 'kysely';
import type { Clock, IdGenerator } from '@sms/kernel';
import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from '../domain/operator-health.js';
import { AddConnection } from '../application/add-connection.use-case.js';
import { ApplyLegacyImport } from '../application/apply-legacy-import.use-case.js';
import { CreateOperator } from '../application/create-operator.use-case.js';
import { CredentialVault } from '../application/credential-vault.js';
import { GetConnectionCredentials } from '../application/get-connection-credentials.use-case.js';
import { GetOperatorHealth, ListOperatorHealth } from '../application/get-operator-health.use-case.js';
import { GetOperator } from '../application/get-operator.use-case.js';
import { GetRoutingRules } from '../application/get-routing-rules.use-case.js';
import { IngestHealthReport } from '../application/ingest-health-report.use-case.js';
import { ListOperators } from '../application/list-operators.use-case.js';
import { OpsEventFactory } from '../application/ops-event-factory.js';
import { PlanLegacyImport } from '../application/plan-legacy-import.use-case.js';
import type { OperatorCredentialStore } from '../application/ports/operator-credential-store.port.js';
import { RemoveConnection } from '../application/remove-connection.use-case.js';
import { ReplaceRoutingRules } from '../application/replace-routing-rules.use-case.js';
import { SetConnectionPassword } from '../application/set-connection-password.use-case.js';
import { SoftDeleteOperator } from '../application/soft-delete-operator.use-case.js';
import { SweepStaleHealth } from '../application/sweep-stale-health.use-case.js';
import { UpdateConnection } from '../application/update-connection.use-case.js';
import { UpdateOperator } from '../application/update-operator.use-case.js';
import { SMPP_GATEWAY_SERVICE } from '../application/caller-identity.js';
import { DEFAULT_PARTITION_POLICY, HealthLogPartitions, type PartitionPolicy } from './postgres/health-log-partitions.js';
import type { OpsDatabase } from './postgres/ops-tables.js';
import { PostgresCurrentHealthRepository } from './postgres/postgres-current-health.repository.js';
import { PostgresHealthLogRepository } from './postgres/postgres-health-log.repository.js';
import { PostgresOperatorRepository } from './postgres/postgres-operator.repository.js';
import { PostgresRoutingRuleRepository } from './postgres/postgres-routing-rule.repository.js';

export interface OperatorManagementAdapters {
  /** The pool and the role request transactions run as. */
  readonly database: OpsDatabase;
  /** The same pool as the owner of the tables, for the partition maintenance (DDL). */
  readonly ownerDb: Kysely<unknown>;
  /** A secret store with base path `ops` (so secrets land under `ops/operators/…`). */
  readonly secretStore: OperatorCredentialStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly partitionPolicy?: PartitionPolicy;
  readonly healthThresholds?: HealthThresholds;
  /** Service identities allowed to read bind passwords; `[smpp-gateway]` by default. */
  readonly credentialReaders?: readonly string[];
}

/** Every use case of the service wired to the Postgres adapters and the secret store, by hand. */
export function composeOperatorManagement(adapters: OperatorManagementAdapters) {
  const { database, clock, ids } = adapters;
  const thresholds = adapters.healthThresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  const operators = new PostgresOperatorRepository(database);
  const routingRules = new PostgresRoutingRuleRepository(database);
  const currentHealth = new PostgresCurrentHealthRepository(database);
  const partitions = new HealthLogPartitions(adapters.ownerDb, adapters.partitionPolicy ?? DEFAULT_PARTITION_POLICY);
  const healthLog = new PostgresHealthLogRepository(database, partitions);
  const vault = new CredentialVault(adapters.secretStore);
  const events = new OpsEventFactory(ids);

  const createOperator = new CreateOperator({ operators, vault, events, ids, clock });
  const updateOperator = new UpdateOperator({ operators, events, clock });
  const addConnection = new AddConnection({ operators, vault, events, ids, clock });
  const updateConnection = new UpdateConnection({ operators, events, clock });
  const setConnectionPassword = new SetConnectionPassword({ operators, vault, events, clock });
  return {
    repositories: { operators, routingRules, currentHealth, healthLog, partitions },
    createOperator,
    getOperator: new GetOperator({ operators }),
    listOperators: new ListOperators({ operators }),
    updateOperator,
    softDeleteOperator: new SoftDeleteOperator({ operators, routingRules, vault, events, clock }),
    addConnection,
    updateConnection,
    removeConnection: new RemoveConnection({ operators, vault, events, clock }),
    setConnectionPassword,
    getConnectionCredentials: new GetConnectionCredentials({
      operators,
      vault,
      allowedServices: adapters.credentialReaders ?? [SMPP_GATEWAY_SERVICE],
    }),
    ingestHealthReport: new IngestHealthReport({ operators, healthLog, currentHealth, events, clock, thresholds }),
    sweepStaleHealth: new SweepStaleHealth({ operators, currentHealth, events, clock, thresholds }),
    getOperatorHealth: new GetOperatorHealth({ operators, currentHealth }),
    listOperatorHealth: new ListOperatorHealth({ operators, currentHealth }),
    replaceRoutingRules: new ReplaceRoutingRules({ operators, routingRules, events, clock }),
    getRoutingRules: new GetRoutingRules({ routingRules }),
    planLegacyImport: new PlanLegacyImport({ operators }),
    applyLegacyImport: new ApplyLegacyImport({
      operators,
      createOperator,
      updateOperator,
      addConnection,
      updateConnection,
      setConnectionPassword,
    }),
  };
}

export type OperatorManagement = ReturnType<typeof composeOperatorManagement>;
