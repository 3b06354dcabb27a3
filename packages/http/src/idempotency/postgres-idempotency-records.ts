import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { withSystem } from '@sms/db';
import type { IdempotencyClaim, IdempotencyClaimInput, IdempotencyRecords, StoredResponse } from './idempotency-records.port.js';

export interface PostgresIdempotencyRecordsOptions {
  readonly db: Kysely<unknown>;
  /** The service's schema, holding `idempotency_keys` (its columns: the @sms/http README, "Idempotency keys"). */
  readonly schema: string;
  /** The role the statements run as (the records are per caller, not per tenant: the service's system role). */
  readonly role: string;
  /** Same key within this window replays. Default 48 h (ARCHITECTURE.md). */
  readonly windowMs?: number;
  /** A claim neither completed nor released after this long is abandoned. Default 30 s. */
  readonly inProgressTimeoutMs?: number;
  /** Rows per delete statement of the purge. Default 5,000. */
  readonly purgeBatchSize?: number;
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 48 * 3_600_000;

interface LiveRow {
  readonly fingerprint: string;
  readonly status_code: number | null;
  readonly response_headers: Record<string, string> | null;
  readonly response_body: string | null;
}

// Another request released the key between our insert and our read: claim again, a few times.
const CLAIM_ATTEMPTS = 3;

/**
 * {@link IdempotencyRecords} on `<schema>.idempotency_keys` (primary key caller + key). A claim is
 * one `INSERT … ON CONFLICT DO UPDATE … WHERE <expired or abandoned> RETURNING`: of concurrent
 * claims exactly one inserts (the others wait for its commit, then read the live record), and an
 * expired or abandoned record is taken over in the same statement.
 */
export class PostgresIdempotencyRecords implements IdempotencyRecords {
  private readonly windowMs: number;
  private readonly inProgressTimeoutMs: number;

  constructor(private readonly options: PostgresIdempotencyRecordsOptions) {
    this.windowMs = options.windowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS;
    this.inProgressTimeoutMs = options.inProgressTimeoutMs ?? 30_000;
  }

  private get table() {
    return sql.table(`${this.options.schema}.idempotency_keys`);
  }

  async claim(input: IdempotencyClaimInput): Promise<IdempotencyClaim> {
    const expiredBefore = new Date(input.now.getTime() - this.windowMs);
    const abandonedBefore = new Date(input.now.getTime() - this.inProgressTimeoutMs);
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
      const outcome = await withSystem(this.options.db, { role: this.options.role }, async (trx): Promise<IdempotencyClaim | null> => {
        const claimed = await sql`
          INSERT INTO ${this.table} AS existing (caller, key, fingerprint, claim_token, created_at)
          VALUES (${input.caller}, ${input.key}, ${input.fingerprint}, ${input.token}, ${input.now})
          ON CONFLICT (caller, key) DO UPDATE
            SET fingerprint = EXCLUDED.fingerprint, claim_token = EXCLUDED.claim_token, created_at = EXCLUDED.created_at,
                status_code = NULL, response_headers = NULL, response_body = NULL, completed_at = NULL
            WHERE existing.created_at <= ${expiredBefore}
               OR (existing.completed_at IS NULL AND existing.created_at <= ${abandonedBefore})
          RETURNING 1`.execute(trx);
        if (claimed.rows.length === 1) return { outcome: 'new' };
        const live = await sql<LiveRow>`SELECT fingerprint, status_code, response_headers, response_body FROM ${this.table}
          WHERE caller = ${input.caller} AND key = ${input.key}`.execute(trx);
        const row = live.rows[0];
        if (row === undefined) return null;
        if (row.fingerprint !== input.fingerprint) return { outcome: 'conflict' };
        if (row.status_code === null || row.response_body === null) return { outcome: 'in-progress' };
        return { outcome: 'replay', response: { statusCode: row.status_code, headers: row.response_headers ?? {}, body: row.response_body } };
      });
      if (outcome !== null) return outcome;
    }
    throw new Error(`idempotency key kept being released and re-claimed during ${CLAIM_ATTEMPTS} attempts`);
  }

  async complete(input: { readonly caller: string; readonly key: string; readonly token: string; readonly response: StoredResponse; readonly now: Date }): Promise<boolean> {
    const { response } = input;
    const updated = await withSystem(this.options.db, { role: this.options.role }, (trx) =>
      sql`UPDATE ${this.table} SET status_code = ${response.statusCode}, response_headers = ${JSON.stringify(response.headers)}::jsonb,
            response_body = ${response.body}, completed_at = ${input.now}
          WHERE caller = ${input.caller} AND key = ${input.key} AND claim_token = ${input.token} AND completed_at IS NULL`.execute(trx),
    );
    return (updated.numAffectedRows ?? 0n) > 0n;
  }

  async release(caller: string, key: string, token: string): Promise<void> {
    await withSystem(this.options.db, { role: this.options.role }, (trx) =>
      sql`DELETE FROM ${this.table} WHERE caller = ${caller} AND key = ${key} AND claim_token = ${token} AND completed_at IS NULL`.execute(trx),
    );
  }

  async purgeClaimedBefore(cutoff: Date): Promise<number> {
    const batch = this.options.purgeBatchSize ?? 5_000;
    let purged = 0;
    for (;;) {
      const deleted = await withSystem(this.options.db, { role: this.options.role }, (trx) =>
        sql`WITH old AS MATERIALIZED (SELECT caller, key FROM ${this.table} WHERE created_at < ${cutoff} LIMIT ${batch} FOR UPDATE SKIP LOCKED)
            DELETE FROM ${this.table} AS k USING old WHERE k.caller = old.caller AND k.key = old.key`.execute(trx),
      );
      const count = Number(deleted.numAffectedRows ?? 0n);
      purged += count;
      if (count < batch) return purged;
    }
  }
}

