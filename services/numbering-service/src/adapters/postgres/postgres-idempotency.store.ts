import { sql } from 'kysely';
import type {
  IdempotencyClaim,
  IdempotencyRecorder,
  IdempotencyRequest,
  IdempotencyStore,
  IdempotentOutcome,
} from '../../index.js';
import type { Runner } from './numbering-scope.js';

export interface IdempotencyWindow {
  /** How long a completed key is remembered. Default 48 h. */
  readonly windowMs?: number;
  /** How long an uncompleted claim blocks its key before a retry may take it over. Default 30 s. */
  readonly claimTimeoutMs?: number;
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 48 * 3_600_000;
export const DEFAULT_IDEMPOTENCY_CLAIM_TIMEOUT_MS = 30_000;

async function completeWith<T>(run: Runner, schema: string, windowMs: number, request: IdempotencyRequest, outcome: IdempotentOutcome<T>, now: Date): Promise<void> {
  const table = sql.id(schema, 'idempotency_keys');
  const expiresAt = new Date(now.getTime() + windowMs);
  await run((db) =>
    sql`
      INSERT INTO ${table} AS k (scope, key, fingerprint, claimed_at, expires_at, outcome)
      VALUES (${request.scope}, ${request.key}, ${request.fingerprint}, ${now}, ${expiresAt}, ${JSON.stringify(outcome)}::jsonb)
      ON CONFLICT (scope, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, claimed_at = EXCLUDED.claimed_at,
            expires_at = EXCLUDED.expires_at, outcome = EXCLUDED.outcome`.execute(db),
  );
}

/**
 * {@link IdempotencyStore} on `idempotency_keys`. `claim` is one `INSERT … ON CONFLICT DO UPDATE … WHERE`
 * in its own short transaction: it takes a free key, an expired one, or a claim abandoned for longer than
 * the claim timeout (same body only); of two concurrent claims the second waits on the first's index entry
 * and then finds it taken. Anything else is answered from the stored row.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly windowMs: number;
  private readonly claimTimeoutMs: number;

  constructor(
    private readonly run: Runner,
    private readonly schema: string,
    options: IdempotencyWindow = {},
  ) {
    this.windowMs = options.windowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS;
    this.claimTimeoutMs = options.claimTimeoutMs ?? DEFAULT_IDEMPOTENCY_CLAIM_TIMEOUT_MS;
  }

  async claim<T>(request: IdempotencyRequest, now: Date): Promise<IdempotencyClaim<T>> {
    const table = sql.id(this.schema, 'idempotency_keys');
    const expiresAt = new Date(now.getTime() + this.windowMs);
    const abandonedBefore = new Date(now.getTime() - this.claimTimeoutMs);
    // A release can delete the row between the insert and the read; then simply try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await this.run(async (db): Promise<IdempotencyClaim<T> | null> => {
        const taken = await sql`
          INSERT INTO ${table} AS k (scope, key, fingerprint, claimed_at, expires_at, outcome)
          VALUES (${request.scope}, ${request.key}, ${request.fingerprint}, ${now}, ${expiresAt}, NULL)
          ON CONFLICT (scope, key) DO UPDATE
            SET fingerprint = EXCLUDED.fingerprint, claimed_at = EXCLUDED.claimed_at,
                expires_at = EXCLUDED.expires_at, outcome = NULL
            WHERE k.expires_at <= ${now}
               OR (k.outcome IS NULL AND k.fingerprint = EXCLUDED.fingerprint AND k.claimed_at <= ${abandonedBefore})
          RETURNING 1 AS taken`.execute(db);
        if (taken.rows.length > 0) return { status: 'claimed' };
        const existing = await db
          .withSchema(this.schema)
          .selectFrom('idempotency_keys')
          .select(['fingerprint', 'outcome'])
          .where('scope', '=', request.scope)
          .where('key', '=', request.key)
          .executeTakeFirst();
        if (existing === undefined) return null;
        if (existing.fingerprint !== request.fingerprint) return { status: 'mismatch' };
        if (existing.outcome !== null) return { status: 'replay', outcome: existing.outcome as IdempotentOutcome<T> };
        return { status: 'in_progress' };
      });
      if (answer !== null) return answer;
    }
    return { status: 'in_progress' };
  }

  complete<T>(request: IdempotencyRequest, outcome: IdempotentOutcome<T>, now: Date): Promise<void> {
    return completeWith(this.run, this.schema, this.windowMs, request, outcome, now);
  }

  async release(request: IdempotencyRequest): Promise<void> {
    await this.run((db) =>
      db
        .withSchema(this.schema)
        .deleteFrom('idempotency_keys')
        .where('scope', '=', request.scope)
        .where('key', '=', request.key)
        .where('outcome', 'is', null)
        .execute(),
    );
  }

  /**
   * Deletes up to `limit` keys whose window ended at or before `before` (completed or abandoned alike),
   * oldest first, and answers how many went. One short statement: rows another transaction holds (a
   * claim taking an expired key over) are skipped, not waited for, and the row lock re-checks the
   * window, so a key claimed anew in the meantime stays.
   */
  async deleteExpired(before: Date, limit: number): Promise<number> {
    const table = sql.id(this.schema, 'idempotency_keys');
    const deleted = await this.run((db) =>
      sql`
        DELETE FROM ${table}
        WHERE (scope, key) IN (
          SELECT scope, key FROM ${table}
          WHERE expires_at <= ${before}
          ORDER BY expires_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)`.execute(db),
    );
    return Number(deleted.numAffectedRows ?? 0n);
  }

  /** The same store writing inside a unit of work's transaction. */
  recorder(run: Runner): IdempotencyRecorder {
    return {
      complete: (request, outcome, now) => completeWith(run, this.schema, this.windowMs, request, outcome, now),
    };
  }
}
