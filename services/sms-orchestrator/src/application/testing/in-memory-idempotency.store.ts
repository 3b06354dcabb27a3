import { IDEMPOTENCY_WINDOW_MS } from '../../domain/idempotency-key.js';
import type { IdempotencyClaim, IdempotencyClaimRequest, IdempotencyPurger, IdempotencyRecorder, IdempotencyStore } from '../ports/idempotency.store.port.js';
import type { IdempotentResponse } from '../submit-outputs.js';
import type { UndoLog } from './undo-log.js';

interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly token: string;
  readonly claimedAt: Date;
  readonly response: IdempotentResponse | null;
}

export interface IdempotencyStoreOptions {
  readonly windowMs?: number;
  /** After this long without being completed or released, a claim is abandoned and may be taken again. */
  readonly inProgressTimeoutMs?: number;
}

/**
 * Idempotency records in memory, with the semantics the port asks of the Postgres adapter: atomic
 * claims, the 48 h window from the claim, abandoned claims after the in-progress timeout,
 * token-checked record and release. Responses are cloned on the way in and out, as storage would.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore, IdempotencyPurger {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly windowMs: number;
  private readonly inProgressTimeoutMs: number;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.windowMs = options.windowMs ?? IDEMPOTENCY_WINDOW_MS;
    this.inProgressTimeoutMs = options.inProgressTimeoutMs ?? 30_000;
  }

  claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    const id = recordId(request.tenantId, request.key);
    const existing = this.records.get(id);
    if (existing === undefined || !this.isLive(existing, request.now)) {
      this.records.set(id, { fingerprint: request.fingerprint, token: request.token, claimedAt: request.now, response: null });
      return Promise.resolve({ outcome: 'new' });
    }
    if (existing.fingerprint !== request.fingerprint) return Promise.resolve({ outcome: 'conflict' });
    if (existing.response !== null) return Promise.resolve({ outcome: 'replay', response: structuredClone(existing.response) });
    return Promise.resolve({ outcome: 'in-progress' });
  }

  release(tenantId: string, key: string, token: string): Promise<void> {
    const id = recordId(tenantId, key);
    const existing = this.records.get(id);
    if (existing !== undefined && existing.token === token && existing.response === null) this.records.delete(id);
    return Promise.resolve();
  }

  scoped(undo: UndoLog): IdempotencyRecorder {
    const records = this.records;
    return {
      record(input) {
        const id = recordId(input.tenantId, input.key);
        const existing = records.get(id);
        if (existing === undefined || existing.token !== input.token || existing.response !== null) return Promise.resolve(false);
        records.set(id, { ...existing, response: structuredClone(input.response) });
        undo.add(() => records.set(id, existing));
        return Promise.resolve(true);
      },
    };
  }

  purgeClaimedBefore(cutoff: Date): Promise<number> {
    let purged = 0;
    for (const [id, record] of this.records) {
      if (record.claimedAt < cutoff) {
        this.records.delete(id);
        purged += 1;
      }
    }
    return Promise.resolve(purged);
  }

  get size(): number {
    return this.records.size;
  }

  private isLive(record: IdempotencyRecord, now: Date): boolean {
    const age = now.getTime() - record.claimedAt.getTime();
    if (age >= this.windowMs) return false;
    return record.response !== null || age < this.inProgressTimeoutMs;
  }
}

const recordId = (tenantId: string, key: string): string => JSON.stringify([tenantId, key]);
