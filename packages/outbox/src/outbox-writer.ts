import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { quoteIdentifier } from '@sms/db';
import { systemClock } from '@sms/kernel';
import type { Clock, EventEnvelope } from '@sms/kernel';
import { injectTraceContext } from '@sms/tracing';
import { validateEnvelope } from './envelope-codec.js';

export interface AppendOptions {
  /** Sets `created_at` (the relay's lag is measured from it). Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * Writes `envelope` to `<schema>.outbox` inside the caller's transaction, so the event exists if
 * and only if the state change commits. The active trace context is stored with it and travels
 * with the published message. Append after writing (and so locking) the aggregate's row: then
 * two transactions on one aggregate get their `seq` in commit order.
 *
 * @throws Error when `trx` is not a transaction or the envelope is malformed (programming errors).
 */
export async function appendToOutbox<DB>(trx: Kysely<DB>, schema: string, envelope: EventEnvelope, options: AppendOptions = {}): Promise<void> {
  if (!trx.isTransaction) throw new Error('appendToOutbox needs the transaction of the state change, not a plain connection');
  const checked = validateEnvelope(envelope);
  if (!checked.ok) throw new TypeError(`cannot append event ${String(envelope.id)} to the outbox: ${checked.error}`);
  const table = sql.raw(`${quoteIdentifier(schema, 'schema')}.outbox`);
  const headers = injectTraceContext({});
  const createdAt = (options.clock ?? systemClock).now();
  await sql`
    INSERT INTO ${table} (id, aggregate_type, aggregate_id, event_type, tenant_id, payload, headers, occurred_at, created_at)
    VALUES (${envelope.id}, ${envelope.aggregateType}, ${envelope.aggregateId}, ${envelope.type}, ${envelope.tenantId},
            ${JSON.stringify(checked.value)}::jsonb, ${JSON.stringify(headers)}::jsonb, ${envelope.occurredAt}::timestamptz, ${createdAt})`.execute(trx);
}

/** {@link appendToOutbox} bound to one schema and clock, for injection into repositories. */
export class OutboxWriter {
  constructor(private readonly options: { readonly schema: string; readonly clock?: Clock }) {
    quoteIdentifier(options.schema, 'schema');
  }

  /** Appends the envelopes in order, in the caller's transaction. */
  async append<DB>(trx: Kysely<DB>, ...envelopes: readonly EventEnvelope[]): Promise<void> {
    for (const envelope of envelopes) {
      await appendToOutbox(trx, this.options.schema, envelope, this.options.clock ? { clock: this.options.clock } : {});
    }
  }
}
