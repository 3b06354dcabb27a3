import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { withSystem } from '@sms/db';
import type { DueMessageFinder, MessageRef } from '../../application/ports/due-message.finder.port.js';
import type { OrchDatabase } from './orch-tables.js';

export interface PostgresDueMessageFinderOptions {
  readonly db: Kysely<OrchDatabase>;
  readonly schema: string;
  readonly systemRole: string;
  /**
   * A message still `accepted` with no retry scheduled this long after acceptance never got its
   * first pipeline run (its accepted event was lost or its consumer was down): it is reported as
   * due too, so the sweeper is also the pipeline's safety net. Default 60 s.
   */
  readonly orphanAfterMs?: number;
  /** Only partitions this recent are searched (older messages are long past any validity period). Default 7 days. */
  readonly horizonMs?: number;
}

/**
 * {@link DueMessageFinder} over `orch.sms_messages` as the system role (its own policy sees every
 * tenant), on the two partial indexes of messages still in the pipeline.
 */
export class PostgresDueMessageFinder implements DueMessageFinder {
  constructor(private readonly options: PostgresDueMessageFinderOptions) {}

  async findDue(now: Date, limit: number): Promise<readonly MessageRef[]> {
    const table = sql.table(`${this.options.schema}.sms_messages`);
    const horizon = new Date(now.getTime() - (this.options.horizonMs ?? 7 * 86_400_000));
    const orphanedBefore = new Date(now.getTime() - (this.options.orphanAfterMs ?? 60_000));
    const result = await withSystem(this.options.db, { role: this.options.systemRole }, (trx) =>
      sql<{ tenant_id: string; id: string }>`
        SELECT tenant_id, id FROM (
          (SELECT tenant_id, id, next_attempt_at AS due FROM ${table}
            WHERE status = 'accepted' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ${now} AND created_at >= ${horizon}
            ORDER BY next_attempt_at LIMIT ${limit})
          UNION ALL
          (SELECT tenant_id, id, accepted_at AS due FROM ${table}
            WHERE status = 'accepted' AND next_attempt_at IS NULL AND accepted_at <= ${orphanedBefore} AND created_at >= ${horizon}
            ORDER BY accepted_at LIMIT ${limit})
        ) AS due ORDER BY due LIMIT ${limit}`.execute(trx),
    );
    return result.rows.map((row) => ({ tenantId: row.tenant_id, messageId: row.id }));
  }
}
