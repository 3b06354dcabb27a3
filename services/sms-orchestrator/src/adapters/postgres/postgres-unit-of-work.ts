import type { Kysely } from 'kysely';
import { withTenant } from '@sms/db';
import type { Clock } from '@sms/kernel';
import { OutboxWriter } from '@sms/outbox';
import type { TransactionScope, UnitOfWork } from '../../application/ports/unit-of-work.port.js';
import type { IdempotencyRecorder } from '../../application/ports/idempotency.store.port.js';
import type { OrchDatabase } from './orch-tables.js';
import { PostgresInbox } from './postgres-inbox.js';
import type { CompletedIdempotencyRecord, PostgresIdempotencyStore } from './postgres-idempotency.store.js';
import { PostgresMessageRepository } from './postgres-message.repository.js';

/** Told after a unit of work that recorded an idempotent response has committed (the Redis fast path fills itself from it). */
export type IdempotencyCommitListener = (tenantId: string, key: string, record: CompletedIdempotencyRecord) => void;

export interface PostgresUnitOfWorkOptions {
  readonly db: Kysely<OrchDatabase>;
  readonly schema: string;
  readonly appRole: string;
  readonly idempotency: PostgresIdempotencyStore;
  readonly clock?: Clock;
  readonly onIdempotencyCommitted?: IdempotencyCommitListener;
}

/**
 * {@link UnitOfWork} as one PostgreSQL transaction under `withTenant` (non-owner role and
 * `app.tenant_id`, so row-level security applies to every statement). The scope's outbox is
 * `OutboxWriter` of @sms/outbox, writing in the same transaction.
 */
export class PostgresUnitOfWork implements UnitOfWork {
  private readonly outbox: OutboxWriter;

  constructor(private readonly options: PostgresUnitOfWorkOptions) {
    this.outbox = new OutboxWriter({ schema: options.schema, ...(options.clock ? { clock: options.clock } : {}) });
  }

  async run<T>(tenantId: string, work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    const { db, schema, appRole } = this.options;
    const recorded: Array<{ key: string; record: CompletedIdempotencyRecord }> = [];
    const result = await withTenant(db, { tenantId, role: appRole }, async (trx) => {
      const idempotency: IdempotencyRecorder = {
        record: async (input) => {
          const record = await this.options.idempotency.recordIn(trx, input);
          if (record !== null) recorded.push({ key: input.key, record });
          return record !== null;
        },
      };
      return work({
        messages: new PostgresMessageRepository(trx, schema),
        outbox: { append: (events) => this.outbox.append<OrchDatabase>(trx, ...events) },
        idempotency,
        inbox: new PostgresInbox(trx, schema),
      });
    });
    const listener = this.options.onIdempotencyCommitted;
    if (listener) for (const { key, record } of recorded) listener(tenantId, key, record);
    return result;
  }
}
