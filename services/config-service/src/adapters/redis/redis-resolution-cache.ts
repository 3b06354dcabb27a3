import { Redis } from 'ioredis';
import type { ResolutionCache } from '../../application/ports/resolution-cache.port.js';
import { ROOT_PATH, ancestorPaths } from '../../domain/node-path.js';
import type { ResolvedConfig } from '../../domain/resolution.js';

export interface RedisResolutionCacheOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  readonly url: string;
  /**
   * Prepended to every key. Keep one hash tag in it (`config:{resolution}:`) so that all keys of the
   * cache live in one Redis Cluster slot: the scripts touch several of them atomically.
   */
  readonly keyPrefix: string;
  /** How long an entry lives without being invalidated. */
  readonly ttlMs: number;
  /**
   * How long an invalidation is remembered against a resolution computed before it (longer than any
   * resolution takes to compute). Default: the larger of `ttlMs` and 60 s.
   */
  readonly invalidationMemoryMs?: number;
  /** Bound on one Redis command. Default 500 ms: the cache must never be slower than the database. */
  readonly commandTimeoutMs?: number;
  readonly onError?: (error: Error) => void;
}

/*
 * Keys (P = keyPrefix):
 *   P epoch            counter, incremented by every invalidation
 *   P e:<reference>    a resolved configuration (JSON), with the entry TTL
 *   P i:<path>         set of references whose resolved node is <path> or below it
 *   P v:<path>         epoch of the latest invalidation of <path> (before it was incremented)
 * A `put` computed from an epoch not newer than the invalidation of the node or of one of its
 * ancestors is dropped (the in-memory adapter's rule). Both scripts run atomically in Redis.
 */
const PUT = `
local readEpoch = tonumber(ARGV[1])
local n = tonumber(ARGV[4])
for i = 2, 1 + n do
  local invalidated = redis.call('GET', KEYS[i])
  if invalidated and tonumber(invalidated) >= readEpoch then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
for i = 2 + n, 1 + 2 * n do
  redis.call('SADD', KEYS[i], ARGV[5])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[3]) + 1000)
end
return 1
`;

const INVALIDATE = `
local next = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], next - 1, 'PX', ARGV[1])
local references = redis.call('SMEMBERS', KEYS[3])
for _, reference in ipairs(references) do
  redis.call('DEL', ARGV[2] .. reference)
end
redis.call('DEL', KEYS[3])
return #references
`;

interface ResolutionCommands {
  configResolutionPut(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  configResolutionInvalidate(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
}

/**
 * The ResolutionCache port on Redis, shared by every replica of config-service. Entries expire
 * after `ttlMs`; an invalidation drops the node's entry and every entry below it (one index set
 * per path) and is remembered, so a resolution computed while a change committed is not stored.
 * Fails fast (no offline queue, short command timeout): callers treat a failure as a miss.
 */
export class RedisResolutionCache implements ResolutionCache {
  private readonly redis: Redis & ResolutionCommands;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly memoryMs: number;

  constructor(options: RedisResolutionCacheOptions) {
    if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs < 1) throw new RangeError('ttlMs must be a positive integer');
    this.prefix = options.keyPrefix;
    this.ttlMs = options.ttlMs;
    this.memoryMs = options.invalidationMemoryMs ?? Math.max(options.ttlMs, 60_000);
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs ?? 500,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    }) as Redis & ResolutionCommands;
    this.redis.defineCommand('configResolutionPut', { lua: PUT });
    this.redis.defineCommand('configResolutionInvalidate', { lua: INVALIDATE });
    this.redis.on('error', (error: Error) => options.onError?.(error));
  }

  /** Resolves once connected (or rejects after `timeoutMs`); commands before that fail fast. */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error(`Redis did not become ready within ${timeoutMs} ms (status ${this.redis.status})`));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  async epoch(): Promise<number> {
    return Number((await this.redis.get(`${this.prefix}epoch`)) ?? '0');
  }

  async get(reference: string): Promise<ResolvedConfig | null> {
    const json = await this.redis.get(`${this.prefix}e:${reference}`);
    return json === null ? null : (JSON.parse(json) as ResolvedConfig);
  }

  async put(reference: string, resolved: ResolvedConfig, readEpoch: number): Promise<void> {
    const paths = ancestorPaths(resolved.path);
    const keys = [
      `${this.prefix}e:${reference}`,
      ...paths.map((p) => `${this.prefix}v:${p}`),
      ...paths.map((p) => `${this.prefix}i:${p}`),
    ];
    await this.redis.configResolutionPut(keys.length, ...keys, readEpoch, JSON.stringify(resolved), this.ttlMs, paths.length, reference);
  }

  async invalidate(path: string): Promise<void> {
    await this.redis.configResolutionInvalidate(
      3,
      `${this.prefix}epoch`,
      `${this.prefix}v:${path}`,
      `${this.prefix}i:${path}`,
      this.memoryMs,
      `${this.prefix}e:`,
    );
  }

  /** Every entry lies at or below GLOBAL, so invalidating GLOBAL drops them all. */
  invalidateAll(): Promise<void> {
    return this.invalidate(ROOT_PATH);
  }

  ping(): Promise<string> {
    return this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
