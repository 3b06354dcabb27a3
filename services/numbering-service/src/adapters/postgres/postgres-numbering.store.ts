import type { Clock, Result } from '@sms/kernel';
import type {
  AuditLogReader,
  CatalogRepository,
  IdempotencyStore,
  ImportLedger,
  NumberingTransaction,
  NumberRepository,
  UnitOfWork,
} from '../../index.js';
import { PostgresAuditLog, PostgresAuditLogReader } from './postgres-audit.log.js';
import { PostgresCatalogRepository } from './postgres-catalog.repository.js';
import { PostgresIdempotencyStore } from './postgres-idempotency.store.js';
import type { IdempotencyWindow } from './postgres-idempotency.store.js';
import { PostgresImportLedger } from './postgres-import.ledger.js';
import { PostgresNumberRepository } from './postgres-number.repository.js';
import { PostgresOutbox } from './postgres-outbox.js';
import { inScope, standaloneRunner, transactionRunner } from './numbering-scope.js';
import type { NumberingDb, NumberingRoles, NumberingScope } from './numbering-scope.js';

export interface PostgresNumberingOptions {
  /** A connection able to `SET ROLE` to both roles (the service's pool, connected as the schema owner). */
  readonly db: NumberingDb;
  readonly schema: string;
  readonly roles: NumberingRoles;
  readonly clock: Clock;
  readonly idempotency?: IdempotencyWindow;
  /**
   * This deployment's region (NUMBERING_REGION): when set, a number's state changes only if this region owns
   * its block (range_ownership, docs/adr/0004); unset, every block is writable (a single-region deployment).
   */
  readonly region?: string;
}

/** The persistence ports of numbering-service for one scope (a tenant, or the system). */
export interface NumberingPorts {
  readonly scope: NumberingScope;
  readonly unitOfWork: UnitOfWork;
  readonly numbers: NumberRepository;
  readonly catalog: CatalogRepository;
  readonly imports: ImportLedger;
  readonly auditReader: AuditLogReader;
  readonly idempotency: IdempotencyStore;
}

/** Carries a refusal out of Kysely's transaction callback, so the transaction rolls back. */
class Rollback extends Error {
  constructor(readonly result: unknown) {
    super('unit of work refused: rolled back');
  }
}

/**
 * Every persistence port of numbering-service on PostgreSQL. `scoped(scope)` gives the ports for one
 * tenant's request (app role, `app.tenant_id` set: row-level security applies) or for the system (staff,
 * services, jobs: the system role). Outside a unit of work each call is its own short transaction.
 */
export class PostgresNumberingStore {
  constructor(private readonly options: PostgresNumberingOptions) {}

  scoped(scope: NumberingScope): NumberingPorts {
    const { db, roles, schema, clock } = this.options;
    const run = standaloneRunner(db, roles, scope);
    const idempotency = new PostgresIdempotencyStore(run, schema, this.options.idempotency);
    const unitOfWork: UnitOfWork = {
      run: async <T, E>(work: (tx: NumberingTransaction) => Promise<Result<T, E>>): Promise<Result<T, E>> => {
        try {
          return await inScope(db, roles, scope, async (trx) => {
            const inTx = transactionRunner(trx);
            const audit = new PostgresAuditLog(trx, schema);
            const tx: NumberingTransaction = {
              numbers: new PostgresNumberRepository(inTx, schema, this.options.region),
              catalog: new PostgresCatalogRepository(inTx, schema),
              imports: new PostgresImportLedger(inTx, schema),
              audit,
              outbox: new PostgresOutbox(trx, schema, clock),
              idempotency: idempotency.recorder(inTx),
            };
            const result = await work(tx);
            if (!result.ok) throw new Rollback(result);
            await audit.flush();
            return result;
          });
        } catch (thrown) {
          if (thrown instanceof Rollback) return thrown.result as Result<T, E>;
          throw thrown;
        }
      },
    };
    return {
      scope,
      unitOfWork,
      numbers: new PostgresNumberRepository(run, schema, this.options.region),
      catalog: new PostgresCatalogRepository(run, schema),
      imports: new PostgresImportLedger(run, schema),
      auditReader: new PostgresAuditLogReader(run, schema),
      idempotency,
    };
  }
}
