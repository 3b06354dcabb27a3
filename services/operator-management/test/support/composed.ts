import { ManualClock, uuidv7Generator } from '@sms/kernel';
import { composeOperatorManagement, type OperatorManagement } from '../../src/adapters/composition.js';
import type { PartitionPolicy } from '../../src/adapters/postgres/health-log-partitions.js';
import { InMemoryCredentialStore, type OperatorCredentialStore } from '../../src/index.js';
import type { OpsTestDatabase } from './ops-database.js';

/** Every use case on the real Postgres adapters of `t`, with a manual clock and real uuidv7 ids. */
export function composeOnDatabase(
  t: OpsTestDatabase,
  options: { store?: OperatorCredentialStore; clock?: ManualClock; partitionPolicy?: PartitionPolicy } = {},
): OperatorManagement & { clock: ManualClock; store: OperatorCredentialStore } {
  const clock = options.clock ?? new ManualClock(new Date());
  const store = options.store ?? new InMemoryCredentialStore();
  const composed = composeOperatorManagement({
    database: t.requests,
    ownerDb: t.database.db,
    secretStore: store,
    clock,
    ids: uuidv7Generator,
    ...(options.partitionPolicy ? { partitionPolicy: options.partitionPolicy } : {}),
  });
  return { ...composed, clock, store };
}
