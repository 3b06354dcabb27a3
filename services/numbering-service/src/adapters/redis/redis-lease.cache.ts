import { Redis } from 'ioredis';
import { CacheUnavailableError } from '@sms/cache';
import type { CacheLogger } from '@sms/cache';
import type { LeaseCache, LeaseSnapshot } from '../../index.js';

export interface RedisLeaseCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://`. */
  readonly url: string;
  /** Prepended to every key; end it with a separator (`numbering:`). */
  readonly keyPrefix: string;
  /** How long an entry or tombstone lives; bounds staleness if every invalidation failed. Default 60 s. */
  readonly ttlMs?: number;
  /** Bound on one command. Default 250 ms: this is the hot path, and Postgres answers when Redis is slow. */
  readonly commandTimeoutMs?: number;
  readonly logger?: CacheLogger;
}

// Each key is a hash { v: number version, s: snapshot JSON, or '' for a tombstone }. The comparison and the
// write happen in one script, so no reader can slip an older snapshot in between.
const PUT = `
local held = redis.call('HGET', KEYS[1], 'v')
if held and tonumber(held) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const INVALIDATE = `
local held = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
local version = tonumber(ARGV[1])
if held > version then version = held end
redis.call('HSET', KEYS[1], 'v', tostring(version), 's', '')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return version`;

interface LeaseScripts {
  leasePut(key: string, version: string, snapshot: string, ttlMs: string): Promise<number>;
  leaseInvalidate(key: string, version: string, ttlMs: string): Promise<number>;
}

/** Commands issued before the very first connection wait for it this long (start-up), not longer. */
const FIRST_CONNECTION_WAIT_MS = 1000;

const silent: CacheLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The ValidateLease cache on Redis. Not built on `@sms/cache`: its `Cache` port offers get/set/setIfAbsent,
 * and "store this snapshot unless the key holds a newer version or tombstone" is a compare-and-set on a
 * value inside the entry, which those operations cannot express atomically (a get-then-set would let a slow
 * reader overwrite a concurrent invalidation). Two small Lua scripts do the compare and the write at once.
 *
 * It fails fast like `@sms/cache`'s Redis adapter (no offline queue, a short command timeout, reconnection
 * in the background), throwing {@link CacheUnavailableError}; ValidateLease then answers from Postgres.
 */
export class RedisLeaseCache implements LeaseCache {
  private readonly client: Redis & LeaseScripts;
  private readonly ttlMs: number;
  private readonly commandTimeoutMs: number;
  private readonly keyPrefix: string;
  private wasReady = false;
  private closed = false;

  constructor(options: RedisLeaseCacheOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 250;
    this.keyPrefix = options.keyPrefix;
    const logger = options.logger ?? silent;
    const client = new Redis(options.url, {
      enableOfflineQueue: false,
      commandTimeout: this.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    });
    client.defineCommand('leasePut', { numberOfKeys: 1, lua: PUT });
    client.defineCommand('leaseInvalidate', { numberOfKeys: 1, lua: INVALIDATE });
    client.on('ready', () => {
      if (this.wasReady) logger.info({}, 'lease cache: Redis reconnected');
      this.wasReady = true;
    });
    client.on('error', (error: Error) => logger.warn({ error: error.message }, 'lease cache: Redis connection error'));
    this.client = client as Redis & LeaseScripts;
  }

  private key(sender: string): string {
    return `${this.keyPrefix}lease:${sender}`;
  }

  async get(sender: string): Promise<LeaseSnapshot | undefined> {
    const stored = await this.command('HGET', () => this.client.hget(this.key(sender), 's'));
    if (stored === null || stored === '') return undefined;
    return JSON.parse(stored) as LeaseSnapshot;
  }

  async put(snapshot: LeaseSnapshot): Promise<void> {
    await this.command('lease put', () =>
      this.client.leasePut(this.key(snapshot.sender), String(snapshot.numberVersion), JSON.stringify(snapshot), String(this.ttlMs)),
    );
  }

  async invalidate(sender: string, numberVersion: number): Promise<void> {
    await this.command('lease invalidate', () => this.client.leaseInvalidate(this.key(sender), String(numberVersion), String(this.ttlMs)));
  }

  /** Throws when Redis does not answer; for the readiness check. */
  async ping(): Promise<void> {
    await this.command('PING', () => this.client.ping());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private async command<T>(name: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new CacheUnavailableError('the lease cache is closed');
    if (!this.wasReady) await this.firstConnection();
    try {
      return await run();
    } catch (error) {
      throw new CacheUnavailableError(`lease cache: Redis ${name} failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  private firstConnection(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    if (this.client.status === 'reconnecting' || this.client.status === 'end') {
      return Promise.reject(new CacheUnavailableError(`lease cache: Redis is not reachable (status ${this.client.status})`));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new CacheUnavailableError(`lease cache: Redis is not reachable (no connection within ${FIRST_CONNECTION_WAIT_MS} ms)`));
      }, FIRST_CONNECTION_WAIT_MS);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }
}
