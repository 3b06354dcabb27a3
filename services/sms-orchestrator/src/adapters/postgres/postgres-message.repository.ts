import type { Transaction } from 'kysely';
import type { MessageRepository } from '../../application/ports/message.repository.port.js';
import type { SmsMessage } from '../../domain/sms-message.js';
import { messageIdTime } from './message-id-time.js';
import { fromRow, toInsertRow, toUpdateColumns, partitionTimeOf } from './message-row.js';
import type { OrchDatabase } from './orch-tables.js';

/**
 * {@link MessageRepository} on `orch.sms_messages`, bound to one tenant transaction (row-level
 * security makes other tenants' rows invisible). Every statement names the partition through
 * `created_at`, the time encoded in the UUIDv7 id, so a lookup touches one partition.
 */
export class PostgresMessageRepository implements MessageRepository {
  constructor(
    private readonly trx: Transaction<OrchDatabase>,
    private readonly schema: string,
  ) {}

  async insert(messages: readonly SmsMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.trx.withSchema(this.schema).insertInto('sms_messages').values(messages.map(toInsertRow)).execute();
  }

  async findById(messageId: string): Promise<SmsMessage | null> {
    const createdAt = messageIdTime(messageId);
    if (createdAt === null) return null;
    const row = await this.trx
      .withSchema(this.schema)
      .selectFrom('sms_messages')
      .selectAll()
      .where('id', '=', messageId)
      .where('created_at', '=', createdAt)
      .executeTakeFirst();
    return row === undefined ? null : fromRow(row);
  }

  async update(message: SmsMessage): Promise<boolean> {
    const snapshot = message.toSnapshot();
    const result = await this.trx
      .withSchema(this.schema)
      .updateTable('sms_messages')
      .set({ ...toUpdateColumns(snapshot), version: snapshot.version + 1 })
      .where('id', '=', snapshot.id)
      .where('created_at', '=', partitionTimeOf(snapshot.id))
      .where('tenant_id', '=', snapshot.tenantId)
      .where('version', '=', snapshot.version)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
