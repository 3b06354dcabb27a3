import type { ResolvedConfig } from '../../domain/resolution.js';

/**
 * Resolved configurations per node reference (a path, or `tenant:<id>`), shared by the service's
 * replicas in production (Redis) or held in memory. Entries are subject-independent: access
 * filtering happens after the cache. Entries may also expire on a TTL the adapter is built with.
 * Throws only on infrastructure faults; callers treat a failing cache as a miss.
 */
export interface ResolutionCache {
  /** A marker to take before reading the store; pass it to {@link put}. */
  epoch(): Promise<number>;
  get(reference: string): Promise<ResolvedConfig | null>;
  /**
   * Stores an entry unless the resolved node or one of its ancestors was invalidated after
   * `readEpoch` (the entry might then be stale: a change landed while it was being computed).
   */
  put(reference: string, resolved: ResolvedConfig, readEpoch: number): Promise<void>;
  /** Drops every entry whose resolved node is `path` or lies below it. */
  invalidate(path: string): Promise<void>;
  /** Drops everything (a key definition changed: defaults or schemas affect every node). */
  invalidateAll(): Promise<void>;
}
