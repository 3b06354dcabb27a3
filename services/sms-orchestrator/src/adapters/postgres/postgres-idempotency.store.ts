import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import { withSystem, withTenant } from '@sms/db';
import type {
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyPurger,
  IdempotencyRecorder,
  IdempotencyStore,
} from '../../application/ports/idempotency.store.port.js';
import type { IdempotentResponse } from '../../application/submit-outputs.js';
import { IDEMPOTENCY_WINDOW_MS } from '../../domain/idempotency-key.js';
import type { OrchDatabase } from './orch-tables.js';

export interface PostgresIdempotencyOptions {
  readonly db: Kysely<OrchDatabase>;
  readonly schema: string;
  /** Role of request transactions (row-level security by tenant). */
  readonly appRole: string;
  /** Role of the purge job (its own policy sees every tenant). */
  readonly systemRole: string;
  /** A claim neither completed nor released after this long is abandoned (its process died). Default 30 s. */
  readonly inProgressTimeoutMs?: number;
  /** Rows deleted per statement by the purge. Default 5,000. */
  readonly purgeBatchSize?: number;
}

/** What the store knows of a live key; used by the Redis fast path to cache completed records. */
export interface CompletedIdempotencyRecord {
  readonly fingerprint: string;
  readonly response: IdempotentResponse;
  readonly createdAt: Date;
}

// Another request released the key between our conflict and our read: claim again, a few times.
const CLAIM_ATTEMPTS = 3;

/**
 * The durable idempotency store on `orch.idempotency_keys` (PK tenant + key). A claim is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE <expired or abandoned>`: of concurrent claims exactly one
 * inserts (the others wait for its commit, then find a live row), and an expired or abandoned
 * record is taken over in the same statement. Claims and releases commit on their own; recording
 * the response happens in the request's unit of work ({@link recorder}).
 */
export class PostgresIdempotencyStore implements IdempotencyStore, IdempotencyPurger {
  private readonly inProgressTimeoutMs: number;
  private readonly purgeBatchSize: number;

  constructor(private readonly options: PostgresIdempotencyOptions) {
    this.inProgressTimeoutMs = options.inProgressTimeoutMs ?? 30_000;
    this.purgeBatchSize = options.purgeBatchSize ?? 5_000;
  }

  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    return (await this.claimWithRecord(request)).claim;
  }

  /** {@link claim}, also answering the completed record on a replay (the Redis fast path caches it). */
  async claimWithRecord(request: IdempotencyClaimRequest): Promise<{ readonly claim: IdempotencyClaim; readonly record?: CompletedIdempotencyRecord }> {
    const { schema, appRole } = this.options;
    const table = sql.table(`${schema}.idempotency_keys`);
    const expiredBefore = new Date(request.now.getTime() - IDEMPOTENCY_WINDOW_MS);
    const abandonedBefore = new Date(request.now.getTime() - this.inProgressTimeoutMs);
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
      const outcome = await withTenant(this.options.db, { tenantId: request.tenantId, role: appRole }, async (trx) => {
        const claimed = await sql<{ claimed: number }>`
          INSERT INTO ${table} AS existing (tenant_id, key, fingerprint, claim_token, created_at)
          VALUES (${request.tenantId}, ${request.key}, ${request.fingerprint}, ${request.token}, ${request.now})
          ON CONFLICT (tenant_id, key) DO UPDATE
            SET fingerprint = EXCLUDED.fingerprint, claim_token = EXCLUDED.claim_token, created_at = EXCLUDED.created_at,
                response = NULL, completed_at = NULL
            WHERE existing.created_at <= ${expiredBefore}
               OR (existing.response IS NULL AND existing.created_at <= ${abandonedBefore})
          RETURNING 1 AS claimed`.execute(trx);
        if (claimed.rows.length === 1) return { claim: { outcome: 'new' } } as const;
        const live = await trx
          .withSchema(schema)
          .selectFrom('idempotency_keys')
          .select(['fingerprint', 'response', 'created_at'])
          .where('tenant_id', '=', request.tenantId)
          .where('key', '=', request.key)
          .executeTakeFirst();
        if (live === undefined) return null;
        if (live.fingerprint !== request.fingerprint) return { claim: { outcome: 'conflict' } } as const;
        if (live.response === null) return { claim: { outcome: 'in-progress' } } as const;
        const response = live.response as IdempotentResponse;
        return { claim: { outcome: 'replay', response }, record: { fingerprint: live.fingerprint, response, createdAt: live.created_at } } as const;
      });
      if (outcome !== null) return outcome;
    }
    throw new Error(`idempotency key kept being released and re-claimed during ${CLAIM_ATTEMPTS} attempts`);
  }

  async release(tenantId: string, key: string, token: string): Promise<void> {
    await withTenant(this.options.db, { tenantId, role: this.options.appRole }, (trx) =>
      trx
        .withSchema(this.options.schema)
        .deleteFrom('idempotency_keys')
        .where('tenant_id', '=', tenantId)
        .where('key', '=', key)
        .where('claim_token', '=', token)
        .where('response', 'is', null)
        .execute(),
    );
  }

  /**
   * Records the response inside a unit of work's transaction when `token` still owns the claim;
   * answers the completed record (for the Redis fast path) or null when the claim was lost.
   */
  async recordIn(
    trx: Transaction<OrchDatabase>,
    input: Parameters<IdempotencyRecorder['record']>[0],
  ): Promise<CompletedIdempotencyRecord | null> {
    const row = await trx
      .withSchema(this.options.schema)
      .updateTable('idempotency_keys')
      .set({ response: JSON.stringify(input.response), completed_at: input.now })
      .where('tenant_id', '=', input.tenantId)
      .where('key', '=', input.key)
      .where('claim_token', '=', input.token)
      .where('response', 'is', null)
      .returning(['fingerprint', 'created_at'])
      .executeTakeFirst();
    return row === undefined ? null : { fingerprint: row.fingerprint, response: input.response, createdAt: row.created_at };
  }

  /** Deletes records claimed before `cutoff`, in batches (each its own short transaction) so no huge delete holds locks. */
  async purgeClaimedBefore(cutoff: Date): Promise<number> {
    const table = sql.table(`${this.options.schema}.idempotency_keys`);
    let purged = 0;
    for (;;) {
      const deleted = await withSystem(this.options.db, { role: this.options.systemRole }, (trx) =>
        sql`
          DELETE FROM ${table} WHERE ctid IN (
            SELECT ctid FROM ${table} WHERE created_at < ${cutoff} LIMIT ${this.purgeBatchSize}
          )`.execute(trx),
      );
      const count = Number(deleted.numAffectedRows ?? 0n);
      purged += count;
      if (count < this.purgeBatchSize) return purged;
    }
  }
}
