import { createHash } from 'node:crypto';
import type { Cache } from '@sms/cache';
import type { Logger } from '@sms/logging';
import type { IdempotencyClaim, IdempotencyClaimRequest, IdempotencyStore } from '../../application/ports/idempotency.store.port.js';
import type { IdempotentResponse } from '../../application/submit-outputs.js';
import { IDEMPOTENCY_WINDOW_MS } from '../../domain/idempotency-key.js';
import type { DependencyMetrics } from '../observability/orchestrator-metrics.js';
import type { CompletedIdempotencyRecord, PostgresIdempotencyStore } from '../postgres/postgres-idempotency.store.js';
import { ThrottledWarning } from '../observability/throttled-warning.js';

/** Key (under the `orch:` cache prefix) of a completed record: the tenant, and a hash of the client's key (bounded, no odd characters). */
export const submitIdempotencyCacheKey = (tenantId: string, key: string): string =>
  `submit-idem:${tenantId}:${createHash('sha256').update(key).digest('hex')}`;

interface CachedRecord {
  readonly f: string;
  readonly r: IdempotentResponse;
  /** Claim time, epoch ms. */
  readonly c: number;
}

export interface CachedIdempotencyStoreOptions {
  /** The source of truth. */
  readonly durable: PostgresIdempotencyStore;
  /** The orchestrator's cache (`orch:` prefix; Redis in production). */
  readonly cache: Cache;
  readonly metrics: DependencyMetrics;
  readonly logger: Logger;
}

/**
 * The Redis fast path in front of {@link PostgresIdempotencyStore} (`orch:submit-idem:*`). Only
 * completed records are cached, and a completed record never changes within its 48 h window, so a
 * cache hit answers a replay (or a conflict, for another fingerprint) without touching Postgres.
 * Everything else — a miss, an in-progress or new key, and every claim — goes to Postgres, so
 * correctness never depends on Redis: while Redis is down every call falls through to Postgres.
 * Records are written after the unit of work that completed them commits
 * ({@link rememberCompleted}), and on a replay served by Postgres (read-through).
 */
export class CachedIdempotencyStore implements IdempotencyStore {
  private readonly warning: ThrottledWarning;

  constructor(private readonly options: CachedIdempotencyStoreOptions) {
    this.warning = new ThrottledWarning(options.logger, 30_000);
  }

  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    const cached = await this.read(request.tenantId, request.key, request.now);
    if (cached !== null) {
      return cached.f === request.fingerprint ? { outcome: 'replay', response: cached.r } : { outcome: 'conflict' };
    }
    const { claim, record } = await this.options.durable.claimWithRecord(request);
    if (record !== undefined) this.rememberCompleted(request.tenantId, request.key, record, request.now);
    return claim;
  }

  release(tenantId: string, key: string, token: string): Promise<void> {
    return this.options.durable.release(tenantId, key, token);
  }

  /** Caches a completed record until its window ends. Never throws; a failed write only costs a later Postgres read. */
  readonly rememberCompleted = (tenantId: string, key: string, record: CompletedIdempotencyRecord, now: Date = record.createdAt): void => {
    const ttlMs = record.createdAt.getTime() + IDEMPOTENCY_WINDOW_MS - now.getTime();
    if (ttlMs <= 0) return;
    const value: CachedRecord = { f: record.fingerprint, r: record.response, c: record.createdAt.getTime() };
    const started = performance.now();
    this.options.cache.set(submitIdempotencyCacheKey(tenantId, key), JSON.stringify(value), { ttlMs }).then(
      () => this.options.metrics.dependencyCall('redis', 'idempotency_set', 'ok', (performance.now() - started) / 1000),
      (error: unknown) => {
        this.options.metrics.dependencyCall('redis', 'idempotency_set', 'error', (performance.now() - started) / 1000);
        this.warning.warn(error, 'redis idempotency fast path unavailable; using PostgreSQL only');
      },
    );
  };

  private async read(tenantId: string, key: string, now: Date): Promise<CachedRecord | null> {
    const started = performance.now();
    let raw: string | null;
    try {
      raw = await this.options.cache.get(submitIdempotencyCacheKey(tenantId, key));
      this.options.metrics.dependencyCall('redis', 'idempotency_get', 'ok', (performance.now() - started) / 1000);
    } catch (error) {
      this.options.metrics.dependencyCall('redis', 'idempotency_get', 'error', (performance.now() - started) / 1000);
      this.warning.warn(error, 'redis idempotency fast path unavailable; using PostgreSQL only');
      return null;
    }
    if (raw === null) return null;
    try {
      const record = JSON.parse(raw) as CachedRecord;
      // The cache's TTL and our clock may disagree slightly; the window is decided here.
      return now.getTime() - record.c < IDEMPOTENCY_WINDOW_MS ? record : null;
    } catch {
      return null;
    }
  }
}
