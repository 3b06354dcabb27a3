import type { Result } from '@sms/kernel';
import type { AuditLog } from './audit-log.port.js';
import type { CatalogRepository } from './catalog.repository.port.js';
import type { IdempotencyRecorder } from './idempotency.store.port.js';
import type { ImportLedger } from './import-ledger.port.js';
import type { NumberRepository } from './number.repository.port.js';
import type { Outbox } from './outbox.port.js';

/** The ports bound to one transaction: what they write commits or rolls back together. */
export interface NumberingTransaction {
  readonly numbers: NumberRepository;
  readonly catalog: CatalogRepository;
  readonly imports: ImportLedger;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly idempotency: IdempotencyRecorder;
}

/**
 * Runs work in one database transaction (Postgres: READ COMMITTED, with the tenant set by `SET LOCAL`
 * when the adapter serves a tenant request). Commits when the work returns an `ok` result; rolls back when
 * it returns an `err` result or throws (and then rethrows). Throws on an infrastructure fault, including
 * a failed commit.
 */
export interface UnitOfWork {
  run<T, E>(work: (tx: NumberingTransaction) => Promise<Result<T, E>>): Promise<Result<T, E>>;
}
