import type { Result } from '@sms/kernel';
import type { NumberingError } from '../../domain/numbering-errors.js';

/** Identifies one idempotent request: the caller-and-command scope, the caller's key, and the request's digest. */
export interface IdempotencyRequest {
  /** `<command>:<principal>`; keys of different callers never collide. */
  readonly scope: string;
  readonly key: string;
  /** SHA-256 of the canonical request body; the same key with another body is refused. */
  readonly fingerprint: string;
}

/** The stored outcome of a command: exactly what the first call answered, after a JSON round trip. */
export type IdempotentOutcome<T> = Result<T, NumberingError>;

export type IdempotencyClaim<T> =
  /** First call with this key (or the earlier claim timed out): go ahead, then complete or release. */
  | { readonly status: 'claimed' }
  /** The key already completed with this same request: answer the stored outcome. */
  | { readonly status: 'replay'; readonly outcome: IdempotentOutcome<T> }
  /** The key already belongs to a different request. */
  | { readonly status: 'mismatch' }
  /** Another call with this key is running right now. */
  | { readonly status: 'in_progress' };

/**
 * Idempotency keys of state-changing requests, kept for the retention window (48 h by default). `claim`
 * is atomic: of two concurrent claims of one key exactly one gets `claimed` (Postgres: `INSERT … ON
 * CONFLICT DO NOTHING` in its own short transaction). A claim left by a crashed process lapses after the
 * claim timeout and can be claimed again. Methods throw on an infrastructure fault.
 */
export interface IdempotencyStore {
  claim<T>(request: IdempotencyRequest, now: Date): Promise<IdempotencyClaim<T>>;
  /** Stores a final outcome for a claimed key (used for business refusals, which write nothing else). */
  complete<T>(request: IdempotencyRequest, outcome: IdempotentOutcome<T>, now: Date): Promise<void>;
  /** Drops a claim without an outcome (a transient failure such as a lost race): a retry runs again. */
  release(request: IdempotencyRequest): Promise<void>;
}

/**
 * The same store bound to a unit of work, so a success is recorded in the same transaction as the state
 * change it answers for: if the transaction rolls back, so does the record.
 */
export interface IdempotencyRecorder {
  complete<T>(request: IdempotencyRequest, outcome: IdempotentOutcome<T>, now: Date): Promise<void>;
}
