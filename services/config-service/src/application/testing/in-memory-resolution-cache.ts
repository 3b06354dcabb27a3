import type { Clock } from '@sms/kernel';
import { ancestorPaths, isSameOrDescendant } from '../../domain/node-path.js';
import type { ResolvedConfig } from '../../domain/resolution.js';
import type { ResolutionCache } from '../ports/resolution-cache.port.js';

/**
 * The resolution cache in process memory (embedded mode and unit tests). Entries expire after
 * `ttlMs`; invalidations are numbered so that a `put` computed before a later invalidation of
 * its node or an ancestor is dropped instead of caching a stale answer.
 */
export class InMemoryResolutionCache implements ResolutionCache {
  private readonly entries = new Map<string, { resolved: ResolvedConfig; storedAt: number }>();
  /** Latest invalidation epoch per invalidated path ('' = everything). */
  private readonly invalidatedAt = new Map<string, number>();
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  epoch(): Promise<number> {
    return Promise.resolve(this.counter);
  }

  get(reference: string): Promise<ResolvedConfig | null> {
    const entry = this.entries.get(reference);
    if (entry === undefined) return Promise.resolve(null);
    if (this.clock.now().getTime() - entry.storedAt >= this.ttlMs) {
      this.entries.delete(reference);
      return Promise.resolve(null);
    }
    return Promise.resolve(entry.resolved);
  }

  put(reference: string, resolved: ResolvedConfig, readEpoch: number): Promise<void> {
    const touched = ['', ...ancestorPaths(resolved.path)].some((p) => (this.invalidatedAt.get(p) ?? -1) >= readEpoch);
    if (!touched) this.entries.set(reference, { resolved, storedAt: this.clock.now().getTime() });
    return Promise.resolve();
  }

  invalidate(path: string): Promise<void> {
    this.invalidatedAt.set(path, this.counter);
    this.counter += 1;
    for (const [reference, entry] of this.entries) {
      if (isSameOrDescendant(entry.resolved.path, path)) this.entries.delete(reference);
    }
    return Promise.resolve();
  }

  invalidateAll(): Promise<void> {
    this.invalidatedAt.set('', this.counter);
    this.counter += 1;
    this.entries.clear();
    return Promise.resolve();
  }

  /** Number of live entries (tests). */
  get size(): number {
    return this.entries.size;
  }
}
