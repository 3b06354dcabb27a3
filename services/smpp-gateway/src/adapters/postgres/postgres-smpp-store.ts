import type { Kysely, Selectable, Transaction } from 'kysely';
import { withSystem } from '@sms/db';
import type { EventEnvelope } from '@sms/kernel';
import { appendToOutbox } from '@sms/outbox';
import type { FinalStatus, SmppScope, SmppUnitOfWork, SubmittedPart } from '../../application/ports/smpp-store.port.js';

/** Kysely's view of the gateway's own table. */
export interface SmppDatabase {
  submitted_parts: {
    message_id: string;
    part_sequence: number;
    total_parts: number;
    tenant_id: string;
    operator_id: string;
    connection_id: string;
    smsc_message_id: string;
    smsc_message_id_key: string;
    submitted_at: Date;
    receipt_status: FinalStatus | null;
    receipt_error_code: string | null;
    receipt_at: Date | null;
  };
}

type PartRow = Selectable<SmppDatabase['submitted_parts']>;

function toPart(row: PartRow): SubmittedPart {
  return {
    messageId: row.message_id,
    tenantId: row.tenant_id,
    operatorId: row.operator_id,
    connectionId: row.connection_id,
    partSequence: row.part_sequence,
    totalParts: row.total_parts,
    smscMessageId: row.smsc_message_id,
    smscMessageIdKey: row.smsc_message_id_key,
    submittedAt: row.submitted_at,
    receiptStatus: row.receipt_status,
    receiptErrorCode: row.receipt_error_code,
    receiptAt: row.receipt_at,
  };
}

/**
 * The gateway's store on PostgreSQL: each unit of work is one transaction under the system role
 * (the gateway serves every tenant; the table's RLS policy gives that role access), and events go
 * to the outbox of the same schema in that transaction.
 */
export class PostgresSmppStore implements SmppUnitOfWork {
  constructor(private readonly options: { readonly db: Kysely<unknown>; readonly schema: string; readonly systemRole: string }) {}

  run<T>(work: (scope: SmppScope) => Promise<T>): Promise<T> {
    const db = this.options.db as Kysely<SmppDatabase>;
    return withSystem(db, { role: this.options.systemRole }, (trx) => work(this.scope(trx)));
  }

  private scope(trx: Transaction<SmppDatabase>): SmppScope {
    const schema = this.options.schema;
    const table = trx.withSchema(schema);
    return {
      async partsOf(messageId, lock = false) {
        let query = table.selectFrom('submitted_parts').selectAll().where('message_id', '=', messageId).orderBy('part_sequence');
        if (lock) query = query.forUpdate();
        return (await query.execute()).map(toPart);
      },
      async recordPart(part) {
        await table
          .insertInto('submitted_parts')
          .values({
            message_id: part.messageId,
            part_sequence: part.partSequence,
            total_parts: part.totalParts,
            tenant_id: part.tenantId,
            operator_id: part.operatorId,
            connection_id: part.connectionId,
            smsc_message_id: part.smscMessageId,
            smsc_message_id_key: part.smscMessageIdKey,
            submitted_at: part.submittedAt,
            receipt_status: part.receiptStatus,
            receipt_error_code: part.receiptErrorCode,
            receipt_at: part.receiptAt,
          })
          .onConflict((conflict) => conflict.columns(['message_id', 'part_sequence']).doNothing())
          .execute();
      },
      async findForReceipt(connectionId, key) {
        const row = await table
          .selectFrom('submitted_parts')
          .selectAll()
          .where('connection_id', '=', connectionId)
          .where('smsc_message_id_key', '=', key)
          .orderBy('submitted_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row === undefined ? null : toPart(row);
      },
      async recordReceipt(messageId, partSequence, status, errorCode, at) {
        await table
          .updateTable('submitted_parts')
          .set({ receipt_status: status, receipt_error_code: errorCode, receipt_at: at })
          .where('message_id', '=', messageId)
          .where('part_sequence', '=', partSequence)
          .execute();
      },
      async appendEvent(envelope: EventEnvelope) {
        await appendToOutbox<SmppDatabase>(trx, schema, envelope);
      },
    };
  }
}
