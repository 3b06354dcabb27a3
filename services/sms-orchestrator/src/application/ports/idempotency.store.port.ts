import type { IdempotentResponse } from '../submit-outputs.js';

/** Asks to become the one request that acts for an idempotency key. */
export interface IdempotencyClaimRequest {
  readonly tenantId: string;
  readonly key: string;
  /** {@link requestFingerprint} of the request. */
  readonly fingerprint: string;
  /** Unique per attempt; proves ownership when recording or releasing. */
  readonly token: string;
  readonly now: Date;
}

/**
 * - `new`: no live record existed (or it was older than the 48 h window, or an abandoned claim);
 *   the caller now owns the key and must record a response or release it.
 * - `replay`: the same request already completed; answer with its stored response.
 * - `conflict`: the key was used with a different fingerprint (another body or endpoint).
 * - `in-progress`: the same request holds a live claim and has not finished yet.
 */
export type IdempotencyClaim =
  | { readonly outcome: 'new' }
  | { readonly outcome: 'replay'; readonly response: IdempotentResponse }
  | { readonly outcome: 'conflict' }
  | { readonly outcome: 'in-progress' };

/**
 * Idempotency keys per tenant (`orch.idempotency_keys` in Postgres, with the Redis fast path
 * `orch:submit-idem:*` in front; Postgres alone must be enough when Redis is down).
 *
 * A record lives for the window (48 h, {@link IDEMPOTENCY_WINDOW_MS}) from its claim. A claim
 * that was never completed nor released is abandoned after the adapter's in-progress timeout
 * (the process died between claim and commit) and may be claimed again; since recording checks
 * the token, a slow first owner whose claim was taken over cannot commit a second effect.
 *
 * Every method throws only for infrastructure faults.
 */
export interface IdempotencyStore {
  /** Atomic: of concurrent claims for one key, exactly one gets `new`. */
  claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim>;

  /** Drops the claim if `token` still owns it (the work failed before committing); otherwise does nothing. */
  release(tenantId: string, key: string, token: string): Promise<void>;
}

/**
 * Completes a claim inside the unit of work that performs the request's effect, so the response
 * is stored if and only if the effect commits.
 */
export interface IdempotencyRecorder {
  /**
   * Stores the response for the key and marks it complete. Returns false, storing nothing, when
   * `token` no longer owns the claim (it expired and another request took it): the caller must
   * abandon its unit of work.
   */
  record(input: {
    readonly tenantId: string;
    readonly key: string;
    readonly token: string;
    readonly response: IdempotentResponse;
    readonly now: Date;
  }): Promise<boolean>;
}

/** The purge job's view: across tenants (a system role). */
export interface IdempotencyPurger {
  /** Deletes every record claimed before `cutoff`; returns how many. */
  purgeClaimedBefore(cutoff: Date): Promise<number>;
}
