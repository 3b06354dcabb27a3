/** A response as the first request with an idempotency key got it, to be replayed byte for byte. */
export interface StoredResponse {
  readonly statusCode: number;
  /** The representation headers worth replaying (`content-type`, `location`, `etag`), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Asks to become the one request that acts for a caller's idempotency key. */
export interface IdempotencyClaimInput {
  /** Whose key: keys of different callers never meet (e.g. `user:<subject>`, `service:<name>`). */
  readonly caller: string;
  readonly key: string;
  /** Hex SHA-256 of the request (method, path, query, body and the headers that change its meaning). */
  readonly fingerprint: string;
  /** Unique per request; proves ownership when completing or releasing. */
  readonly token: string;
  readonly now: Date;
}

/**
 * - `new`: no live record (none, older than the window, or an abandoned claim): the caller owns the
 *   key now and must complete or release it;
 * - `replay`: the same request completed: answer its stored response;
 * - `conflict`: the key was used with another request (different fingerprint);
 * - `in-progress`: the same request holds a live claim and has not answered yet.
 */
export type IdempotencyClaim =
  | { readonly outcome: 'new' }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'conflict' }
  | { readonly outcome: 'in-progress' };

/**
 * Durable idempotency records of a service's write API, per caller and key. A record is live for
 * the window from its claim; a claim neither completed nor released within the in-progress timeout
 * is abandoned (its process died) and may be claimed again.
 *
 * Every method throws only for infrastructure faults.
 */
export interface IdempotencyRecords {
  /** Atomic: of concurrent claims of one key, exactly one answers `new`. */
  claim(input: IdempotencyClaimInput): Promise<IdempotencyClaim>;
  /** Stores the response if `token` still owns the claim; false (nothing stored) when it does not. */
  complete(input: { readonly caller: string; readonly key: string; readonly token: string; readonly response: StoredResponse; readonly now: Date }): Promise<boolean>;
  /** Drops the claim if `token` still owns it and it is not complete; otherwise does nothing. */
  release(caller: string, key: string, token: string): Promise<void>;
  /** Deletes every record claimed before `cutoff` (the purge job); answers how many. */
  purgeClaimedBefore(cutoff: Date): Promise<number>;
}
