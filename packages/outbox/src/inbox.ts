import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import { PermanentHandlerError } from '@sms/bus';
import type { Bus, DeliveredMessage, Subscription, SubscriptionSpec } from '@sms/bus';
import { isValidTenantId, quoteIdentifier, scopeTransaction } from '@sms/db';
import type { EventEnvelope } from '@sms/kernel';
import { activeTraceIds, extractTraceContext, ROOT_CONTEXT, SpanKind, withSpan } from '@sms/tracing';
import { decodeEnvelope } from './envelope-codec.js';

/**
 * Records that `consumer` handled `eventId`, in the caller's transaction. Returns true the first
 * time, false when it was already recorded (the caller then skips its work). A concurrent
 * transaction recording the same event waits for the first one: if that commits this returns
 * false, if it rolls back this returns true.
 */
export async function handleOnce<DB>(trx: Kysely<DB>, schema: string, consumer: string, eventId: string): Promise<boolean> {
  if (!trx.isTransaction) throw new Error('handleOnce needs the transaction that does the handling');
  const result = await sql`
    INSERT INTO ${sql.raw(`${quoteIdentifier(schema, 'schema')}.inbox`)} (consumer, event_id)
    VALUES (${consumer}, ${eventId}) ON CONFLICT DO NOTHING`.execute(trx);
  return result.numAffectedRows === 1n;
}

export interface InboxConsumerOptions<DB> {
  readonly db: Kysely<DB>;
  /** Schema holding the consumer's `inbox` table. */
  readonly schema: string;
  readonly bus: Bus;
  /** Durable consumer name on the bus, and the `consumer` column of the inbox. */
  readonly consumer: string;
  readonly subjects: readonly string[];
  /**
   * Does the work for one event, in the transaction that also records it in the inbox. Throw to
   * retry later (the transaction rolls back); throw {@link PermanentHandlerError} to dead-letter.
   */
  readonly handle: (envelope: EventEnvelope, trx: Transaction<DB>) => Promise<void>;
  /**
   * Runs the transaction as this role (`SET LOCAL ROLE`) with `app.tenant_id` set to the event's
   * tenant (none for events without one), so row-level security applies to the handler.
   */
  readonly role?: string;
  /** Retry and dead-letter settings of the subscription. */
  readonly delivery?: Omit<SubscriptionSpec, 'durable' | 'subjects'>;
}

/**
 * Subscribes a durable consumer whose handler runs at most once per event id: each delivery is
 * decoded (a malformed one is dead-lettered with {@link PermanentHandlerError}), its trace context
 * restored, and then, in ONE transaction, recorded in the inbox and handled; a redelivery of an
 * event already recorded commits nothing and is acknowledged. The transaction commits before the
 * bus acknowledges, so a crash in between means a redelivery that the inbox turns into a no-op.
 */
export function createInboxConsumer<DB>(options: InboxConsumerOptions<DB>): Promise<Subscription> {
  quoteIdentifier(options.schema, 'schema');
  const spec: SubscriptionSpec = { ...options.delivery, durable: options.consumer, subjects: options.subjects };
  return options.bus.subscribe(spec, (message) => handleDelivery(options, message));
}

async function handleDelivery<DB>(options: InboxConsumerOptions<DB>, message: DeliveredMessage): Promise<void> {
  const decoded = decodeEnvelope(message.payload);
  if (!decoded.ok) {
    throw new PermanentHandlerError(`malformed event on ${message.subject} (msgId ${message.msgId}): ${decoded.error}`);
  }
  const envelope = decoded.value;
  if (options.role && envelope.tenantId !== null && !isValidTenantId(envelope.tenantId)) {
    throw new PermanentHandlerError(`event ${envelope.id} carries an invalid tenant id`);
  }
  // The bus adapters already run handlers in a span continued from the message; if this one did
  // not, continue the publisher's trace from the headers.
  const parent = activeTraceIds() ? undefined : extractTraceContext(message.headers, ROOT_CONTEXT);
  await withSpan(
    `inbox ${options.consumer} ${envelope.type}`,
    async (span) => {
      const handled = await options.db.transaction().execute(async (trx) => {
        if (options.role) await scopeTransaction(trx, { role: options.role, tenantId: envelope.tenantId });
        if (!(await handleOnce(trx, options.schema, options.consumer, envelope.id))) return false;
        await options.handle(envelope, trx);
        return true;
      });
      span.setAttribute('inbox.duplicate', !handled);
    },
    {
      kind: SpanKind.INTERNAL,
      ...(parent ? { parent } : {}),
      attributes: { 'event.id': envelope.id, 'event.type': envelope.type, 'inbox.consumer': options.consumer },
    },
  );
}
