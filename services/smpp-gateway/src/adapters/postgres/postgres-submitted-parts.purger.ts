import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { withSystem } from '@sms/db';
import type { SubmittedPartsPurger } from '../../application/ports/submitted-parts.purger.port.js';

/**
 * {@link SubmittedPartsPurger} on `submitted_parts` as the system role (its policy sees every
 * tenant), on the `submitted_at` index. Rows another transaction holds (a receipt being applied
 * to a part this old) are skipped, never waited for: the next run takes them.
 */
export class PostgresSubmittedPartsPurger implements SubmittedPartsPurger {
  constructor(private readonly options: { readonly db: Kysely<unknown>; readonly schema: string; readonly systemRole: string }) {}

  async deleteSubmittedBefore(cutoff: Date, limit: number): Promise<number> {
    const table = sql.table(`${this.options.schema}.submitted_parts`);
    // A materialized CTE is locked once: `IN (SELECT … LIMIT … SKIP LOCKED)` may be rescanned and
    // delete more than `limit`.
    const result = await withSystem(this.options.db, { role: this.options.systemRole }, (trx) =>
      sql`WITH old AS MATERIALIZED (
            SELECT message_id, part_sequence FROM ${table} WHERE submitted_at < ${cutoff}
            ORDER BY submitted_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          DELETE FROM ${table} AS p USING old WHERE p.message_id = old.message_id AND p.part_sequence = old.part_sequence`.execute(trx),
    );
    return Number(result.numAffectedRows ?? 0n);
  }
}
