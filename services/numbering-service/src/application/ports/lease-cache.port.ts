import type { LeaseSnapshot } from '../../domain/lease-verdict.js';

/**
 * The ValidateLease hot-path cache (Redis in production, memory in embedded mode), keyed by sender.
 * Entries carry the number's version, and the cache never lets an older version replace a newer one, so a
 * slow reader cannot put back a lease that a concurrent release already invalidated. Every method throws
 * when the cache is unreachable or slow beyond its timeout; callers treat that as a miss and fall back to
 * the repository. Entries expire after a bounded TTL chosen by the adapter.
 */
export interface LeaseCache {
  /** The snapshot for `sender`, or undefined on a miss (including an invalidation tombstone). */
  get(sender: string): Promise<LeaseSnapshot | undefined>;
  /** Stores `snapshot` unless the cache holds an entry or tombstone with a higher `numberVersion`. */
  put(snapshot: LeaseSnapshot): Promise<void>;
  /**
   * Drops the entry for `sender` and leaves a tombstone at `numberVersion` (the version after the change),
   * so a put of any older snapshot is refused while the tombstone lives.
   */
  invalidate(sender: string, numberVersion: number): Promise<void>;
}
