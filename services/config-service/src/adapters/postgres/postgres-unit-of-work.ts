import type { Kysely, Transaction } from 'kysely';
import { scopeTransaction } from '@sms/db';
import { OutboxWriter, handleOnce } from '@sms/outbox';
import type { Clock, Result } from '@sms/kernel';
import type { TransactionOptions, TransactionScope, UnitOfWork } from '../../application/ports/unit-of-work.port.js';
import type { ConfigDatabase } from './config-database.js';
import { PostgresConfigNodeRepository } from './postgres-config-node.repository.js';
import { PostgresKeyDefinitionRepository } from './postgres-key-definition.repository.js';
import { PostgresNodeVersionRepository } from './postgres-node-version.repository.js';
import { PostgresRoleAssignmentRepository, PostgresRoleDefinitionRepository } from './postgres-role.repository.js';

export interface PostgresUnitOfWorkOptions {
  /** A connection as the schema owner; every transaction drops to one of `roles` first. */
  readonly db: Kysely<ConfigDatabase>;
  readonly schema: string;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  /** Stamps outbox rows. */
  readonly clock: Clock;
  /** Extra attempts after a serialisation failure or a deadlock (default 2). */
  readonly retries?: number;
}

/** Carries an error Result out of Kysely's transaction callback so that the transaction rolls back. */
class Rollback<T, E> extends Error {
  constructor(readonly result: Result<T, E>) {
    super('rolled back: the unit of work returned an error result');
  }
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

const sqlState = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/**
 * The UnitOfWork port on PostgreSQL. Each `run` is one transaction that first sets its role and
 * tenant with `SET LOCAL` (`scopeTransaction` from @sms/db), so row-level security decides what it
 * may see and write:
 *
 * - `tenantId` set: the app role with `app.tenant_id` = that tenant; it reads its own rows and the
 *   tenant-less rows above them, and writes only its own;
 * - `tenantId` null (a subject not bound to a tenant, or the service's own consumers): the system
 *   role, which sees every row through its explicit policies.
 *
 * Outbox rows are appended and inbox records inserted in the same transaction (@sms/outbox), so a
 * change and its events, or a consumed event and its effects, commit together or not at all.
 */
export class PostgresUnitOfWork implements UnitOfWork {
  private readonly writer: OutboxWriter;

  constructor(private readonly options: PostgresUnitOfWorkOptions) {
    this.writer = new OutboxWriter({ schema: options.schema, clock: options.clock });
  }

  async run<T, E>(work: (tx: TransactionScope) => Promise<Result<T, E>>, options: TransactionOptions): Promise<Result<T, E>> {
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.once(work, options);
      } catch (error) {
        const code = sqlState(error);
        if (attempt < retries && code !== undefined && RETRYABLE.has(code)) continue;
        throw error;
      }
    }
  }

  private async once<T, E>(work: (tx: TransactionScope) => Promise<Result<T, E>>, options: TransactionOptions): Promise<Result<T, E>> {
    const role = options.tenantId === null ? this.options.roles.systemRole : this.options.roles.appRole;
    try {
      return await this.options.db
        .transaction()
        .setAccessMode(options.readOnly === true ? 'read only' : 'read write')
        .execute(async (trx) => {
          await scopeTransaction(trx, { role, tenantId: options.tenantId });
          const result = await work(this.scopeOf(trx));
          if (!result.ok) throw new Rollback(result);
          return result;
        });
    } catch (error) {
      if (error instanceof Rollback) return error.result as Result<T, E>;
      throw error;
    }
  }

  private scopeOf(trx: Transaction<ConfigDatabase>): TransactionScope {
    const { schema } = this.options;
    return {
      nodes: new PostgresConfigNodeRepository(trx, schema),
      versions: new PostgresNodeVersionRepository(trx, schema),
      keys: new PostgresKeyDefinitionRepository(trx, schema),
      roles: new PostgresRoleDefinitionRepository(trx, schema),
      assignments: new PostgresRoleAssignmentRepository(trx, schema),
      outbox: { enqueue: (events) => this.writer.append<ConfigDatabase>(trx, ...events) },
      inbox: { markHandled: (consumer, eventId) => handleOnce<ConfigDatabase>(trx, schema, consumer, eventId) },
    };
  }
}
