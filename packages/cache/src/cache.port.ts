/**
 * A key-value cache of strings with TTLs, namespaced by the key prefix given to the adapter at construction: keys
 * passed in and out are relative to it, so two caches with different prefixes never see each other's keys.
 * Two adapters implement it: Redis in production and an in-memory one in embedded mode; one contract suite runs
 * against both.
 *
 * A cache is not a store of record: callers must cope with a miss, and with a {@link CacheUnavailableError} by
 * falling back to the source.
 */
export interface Cache {
  /** The value, or null when the key is absent or has expired. */
  get(key: string): Promise<string | null>;

  /** Stores the value, replacing any; without `ttlMs` it does not expire. */
  set(key: string, value: string, options?: CacheSetOptions): Promise<void>;

  /** Stores the value only when the key is absent; true when this call stored it. Atomic across clients. */
  setIfAbsent(key: string, value: string, options?: CacheSetOptions): Promise<boolean>;

  /** Removes the key; true when it existed. */
  delete(key: string): Promise<boolean>;

  /**
   * Calls `handler` with the (relative) key of each entry under `keyPrefix` whose TTL runs out. Delivery is best
   * effort: a notification can arrive late (Redis expires keys lazily or in a background sweep) and is lost while
   * the cache is disconnected, so use it to react sooner, never as the only path to a state change.
   * Resolves to a function that removes the handler.
   */
  onExpired(keyPrefix: string, handler: (key: string) => void): Promise<() => Promise<void>>;

  /** Throws {@link CacheUnavailableError} when the cache is unreachable; used by readiness checks. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export interface CacheSetOptions {
  /** Time to live in milliseconds (a positive integer). */
  readonly ttlMs?: number;
}

/**
 * Thrown by every command when the cache cannot be reached, does not answer within its command timeout, or has
 * been closed. It is raised quickly (about a second at most) so the caller can fall back.
 */
export class CacheUnavailableError extends Error {
  override readonly name = 'CacheUnavailableError';
}
