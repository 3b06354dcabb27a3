import type { EventOutbox } from './event-outbox.port.js';
import type { IdempotencyRecorder } from './idempotency.store.port.js';
import type { Inbox } from './inbox.port.js';
import type { MessageRepository } from './message.repository.port.js';

/** What a unit of work binds to one transaction and one tenant. */
export interface TransactionScope {
  readonly messages: MessageRepository;
  readonly outbox: EventOutbox;
  readonly idempotency: IdempotencyRecorder;
  readonly inbox: Inbox;
}

/**
 * Runs work in one transaction scoped to one tenant (Postgres: `withTenant`, which sets the
 * non-owner role and `app.tenant_id` for row-level security). Commits when `work` resolves, rolls
 * back when it throws and rethrows the same error. The scope must not be used after `work` settles.
 */
export interface UnitOfWork {
  run<T>(tenantId: string, work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}
