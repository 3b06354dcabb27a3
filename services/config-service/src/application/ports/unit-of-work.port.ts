import type { Result } from '@sms/kernel';
import type { ConfigNodeRepository } from './config-node.repository.port.js';
import type { Inbox } from './inbox.port.js';
import type { KeyDefinitionRepository } from './key-definition.repository.port.js';
import type { NodeVersionRepository } from './node-version.repository.port.js';
import type { Outbox } from './outbox.port.js';
import type { RoleAssignmentRepository, RoleDefinitionRepository } from './role.repository.port.js';

/** Everything a use case may touch inside one transaction. */
export interface TransactionScope {
  readonly nodes: ConfigNodeRepository;
  readonly versions: NodeVersionRepository;
  readonly keys: KeyDefinitionRepository;
  readonly roles: RoleDefinitionRepository;
  readonly assignments: RoleAssignmentRepository;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
}

export interface TransactionOptions {
  /**
   * The tenant the work acts for, or null for platform-wide work. The Postgres adapter sets it with
   * `SET LOCAL` so row-level security applies; it does not replace the checks the use cases make.
   */
  readonly tenantId: string | null;
  /** Read-only work may run on a read-only transaction (or a replica). */
  readonly readOnly?: boolean;
}

/**
 * One transaction. `run` commits when `work` returns an ok Result and rolls back when it returns
 * an error or throws (the throw is re-raised). State changes and their outbox events therefore
 * land together or not at all. Throws on infrastructure faults (connection lost, serialisation
 * failure after the adapter's retries).
 */
export interface UnitOfWork {
  run<T, E>(work: (tx: TransactionScope) => Promise<Result<T, E>>, options: TransactionOptions): Promise<Result<T, E>>;
}
