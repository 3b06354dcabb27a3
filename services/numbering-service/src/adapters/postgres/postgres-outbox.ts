import { appendToOutbox } from '@sms/outbox';
import type { Clock, EventEnvelope } from '@sms/kernel';
import type { Outbox } from '../../index.js';
import type { NumberingDb } from './numbering-scope.js';

/** {@link Outbox} of one transaction, through @sms/outbox (append after the aggregate's row is written). */
export class PostgresOutbox implements Outbox {
  constructor(
    private readonly trx: NumberingDb,
    private readonly schema: string,
    private readonly clock: Clock,
  ) {}

  async add(events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) await appendToOutbox(this.trx, this.schema, event, { clock: this.clock });
  }
}
