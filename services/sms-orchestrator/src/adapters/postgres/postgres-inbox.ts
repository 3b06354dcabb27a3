import type { Transaction } from 'kysely';
import { handleOnce } from '@sms/outbox';
import type { Inbox } from '../../application/ports/inbox.port.js';
import type { OrchDatabase } from './orch-tables.js';

/** {@link Inbox} on `<schema>.inbox` (from @sms/outbox), in the unit of work's transaction. */
export class PostgresInbox implements Inbox {
  constructor(
    private readonly trx: Transaction<OrchDatabase>,
    private readonly schema: string,
  ) {}

  markHandled(consumer: string, eventId: string): Promise<boolean> {
    return handleOnce<OrchDatabase>(this.trx, this.schema, consumer, eventId);
  }
}
