import { systemClock } from '@sms/kernel';
import type { Clock } from '@sms/kernel';
import { CacheUnavailableError } from './cache.port.js';
import type { Cache, CacheSetOptions } from './cache.port.js';
import { silentCacheLogger } from './cache-logger.js';
import type { CacheLogger } from './cache-logger.js';
import { checkedTtl } from './ttl.js';

export interface MemoryCacheOptions {
  /** TTLs are measured on this clock. With a ManualClock, call {@link MemoryCache.tick} after advancing it. */
  readonly clock?: Clock;
  readonly keyPrefix?: string;
  /** How often a timer looks for expired entries (and fires notifications). Default 1 s; 0 turns the timer off. */
  readonly sweepIntervalMs?: number;
  readonly logger?: CacheLogger;
}

/** The in-memory {@link Cache} of embedded mode, with two hooks of its own. */
export interface MemoryCache extends Cache {
  /**
   * Expires every entry whose TTL has run out on the clock and fires their notifications (on a microtask). The
   * sweep timer calls it; tests with a ManualClock call it after `clock.advance()` instead of sleeping.
   */
  tick(): void;
  /** A view of the same entries under another key prefix, as two services share one Redis in production. */
  withKeyPrefix(keyPrefix: string): MemoryCache;
}

/** An in-memory cache for one process; entries are lost on restart. */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  const store = new MemoryStore(
    options.clock ?? systemClock,
    options.sweepIntervalMs ?? 1000,
    options.logger ?? silentCacheLogger,
  );
  return new MemoryCacheView(store, options.keyPrefix ?? '');
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number | undefined;
}

interface ExpiryListener {
  /** Full prefix: the view's key prefix followed by the listener's own. */
  readonly prefix: string;
  readonly viewPrefixLength: number;
  readonly handler: (key: string) => void;
}

/** The entries every view shares, keyed by full (prefixed) key. */
class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<ExpiryListener>();
  private readonly timer: NodeJS.Timeout | undefined;
  private openViews = 0;

  constructor(
    private readonly clock: Clock,
    sweepIntervalMs: number,
    private readonly logger: CacheLogger,
  ) {
    if (sweepIntervalMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepIntervalMs);
      this.timer.unref();
    }
  }

  opened(): void {
    this.openViews++;
  }

  closed(): void {
    this.openViews--;
    if (this.openViews === 0) {
      clearInterval(this.timer);
      this.listeners.clear();
    }
  }

  get(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (this.isExpired(entry, this.now())) {
      this.expire(key);
      return null;
    }
    return entry.value;
  }

  set(key: string, value: string, ttlMs: number | undefined): void {
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : this.now() + ttlMs });
  }

  setIfAbsent(key: string, value: string, ttlMs: number | undefined): boolean {
    if (this.get(key) !== null) return false;
    this.set(key, value, ttlMs);
    return true;
  }

  delete(key: string): boolean {
    const existed = this.get(key) !== null;
    this.entries.delete(key);
    return existed;
  }

  listen(listener: ExpiryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (this.isExpired(entry, now)) this.expire(key);
    }
  }

  private expire(key: string): void {
    this.entries.delete(key);
    for (const listener of this.listeners) {
      if (!key.startsWith(listener.prefix)) continue;
      // Like Redis, notify asynchronously, never inside the command that noticed the expiry.
      queueMicrotask(() => {
        try {
          listener.handler(key.slice(listener.viewPrefixLength));
        } catch (error) {
          this.logger.error({ key, error: String(error) }, 'cache expiry handler threw');
        }
      });
    }
  }

  private isExpired(entry: Entry, now: number): boolean {
    return entry.expiresAt !== undefined && entry.expiresAt <= now;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

class MemoryCacheView implements MemoryCache {
  private closed = false;
  private readonly unlisteners = new Set<() => void>();

  constructor(
    private readonly store: MemoryStore,
    private readonly keyPrefix: string,
  ) {
    store.opened();
  }

  get(key: string): Promise<string | null> {
    return this.run(() => this.store.get(this.keyPrefix + key));
  }

  async set(key: string, value: string, options?: CacheSetOptions): Promise<void> {
    const ttlMs = checkedTtl(options);
    return this.run(() => this.store.set(this.keyPrefix + key, value, ttlMs));
  }

  async setIfAbsent(key: string, value: string, options?: CacheSetOptions): Promise<boolean> {
    const ttlMs = checkedTtl(options);
    return this.run(() => this.store.setIfAbsent(this.keyPrefix + key, value, ttlMs));
  }

  delete(key: string): Promise<boolean> {
    return this.run(() => this.store.delete(this.keyPrefix + key));
  }

  onExpired(keyPrefix: string, handler: (key: string) => void): Promise<() => Promise<void>> {
    return this.run(() => {
      const unlisten = this.store.listen({
        prefix: this.keyPrefix + keyPrefix,
        viewPrefixLength: this.keyPrefix.length,
        handler,
      });
      this.unlisteners.add(unlisten);
      return () => {
        unlisten();
        this.unlisteners.delete(unlisten);
        return Promise.resolve();
      };
    });
  }

  ping(): Promise<void> {
    return this.run(() => undefined);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const unlisten of this.unlisteners) unlisten();
      this.unlisteners.clear();
      this.store.closed();
    }
    return Promise.resolve();
  }

  tick(): void {
    this.store.sweep();
  }

  withKeyPrefix(keyPrefix: string): MemoryCache {
    return new MemoryCacheView(this.store, keyPrefix);
  }

  private run<T>(command: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new CacheUnavailableError('the memory cache is closed'));
    return Promise.resolve(command());
  }
}
