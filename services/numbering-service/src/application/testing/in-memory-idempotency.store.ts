import type {
  IdempotencyClaim,
  IdempotencyRecorder,
  IdempotencyRequest,
  IdempotencyStore,
  IdempotentOutcome,
} from '../ports/idempotency.store.port.js';

interface Entry {
  readonly fingerprint: string;
  readonly claimedAt: number;
  readonly expiresAt: number;
  /** JSON of the outcome once completed; stored as text so a replay goes through the same round trip as Postgres jsonb. */
  readonly outcome: string | null;
}

export interface InMemoryIdempotencyOptions {
  /** How long a completed key is remembered. Default 48 h. */
  readonly windowMs?: number;
  /** How long an uncompleted claim blocks its key before a retry may take it over. Default 30 s. */
  readonly claimTimeoutMs?: number;
}

/** In-memory {@link IdempotencyStore}; claims are atomic because JavaScript runs one claim at a time. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly windowMs: number;
  private readonly claimTimeoutMs: number;

  constructor(options: InMemoryIdempotencyOptions = {}) {
    this.windowMs = options.windowMs ?? 48 * 3_600_000;
    this.claimTimeoutMs = options.claimTimeoutMs ?? 30_000;
  }

  private static id(request: IdempotencyRequest): string {
    return `${request.scope}\u0000${request.key}`;
  }

  claim<T>(request: IdempotencyRequest, now: Date): Promise<IdempotencyClaim<T>> {
    const id = InMemoryIdempotencyStore.id(request);
    const at = now.getTime();
    let entry = this.entries.get(id);
    if (entry !== undefined && entry.expiresAt <= at) {
      this.entries.delete(id);
      entry = undefined;
    }
    const take = (): Promise<IdempotencyClaim<T>> => {
      this.entries.set(id, { fingerprint: request.fingerprint, claimedAt: at, expiresAt: at + this.windowMs, outcome: null });
      return Promise.resolve({ status: 'claimed' });
    };
    if (entry === undefined) return take();
    if (entry.fingerprint !== request.fingerprint) return Promise.resolve({ status: 'mismatch' });
    if (entry.outcome !== null) return Promise.resolve({ status: 'replay', outcome: JSON.parse(entry.outcome) as IdempotentOutcome<T> });
    if (at - entry.claimedAt >= this.claimTimeoutMs) return take();
    return Promise.resolve({ status: 'in_progress' });
  }

  complete<T>(request: IdempotencyRequest, outcome: IdempotentOutcome<T>, now: Date): Promise<void> {
    const at = now.getTime();
    this.entries.set(InMemoryIdempotencyStore.id(request), {
      fingerprint: request.fingerprint,
      claimedAt: at,
      expiresAt: at + this.windowMs,
      outcome: JSON.stringify(outcome),
    });
    return Promise.resolve();
  }

  release(request: IdempotencyRequest): Promise<void> {
    const id = InMemoryIdempotencyStore.id(request);
    if (this.entries.get(id)?.outcome === null) this.entries.delete(id);
    return Promise.resolve();
  }

  /** A recorder whose writes wait for `onCommit` (used by the in-memory unit of work). */
  recorder(stage: (apply: () => void) => void): IdempotencyRecorder {
    return {
      complete: <T>(request: IdempotencyRequest, outcome: IdempotentOutcome<T>, now: Date): Promise<void> => {
        stage(() => void this.complete(request, outcome, now));
        return Promise.resolve();
      },
    };
  }
}
