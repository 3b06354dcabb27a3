import { Redis } from 'ioredis';
import type { Logger } from '@sms/logging';
import type { RateLimitDecision, RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { SubmitRateLimit } from '../../application/ports/tenant-settings.port.js';
import type { DependencyMetrics } from '../observability/orchestrator-metrics.js';
import { ThrottledWarning } from '../observability/throttled-warning.js';

// One atomic step of the bucket in Redis: refill by elapsed time, then take `permits` when at
// least min(permits, burst) tokens are there (the balance may go negative, see the port). Numbers
// travel as strings: Redis would truncate Lua floats to integers.
const TOKEN_BUCKET_LUA = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local permits = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local needed = math.min(permits, burst)
local allowed = tokens >= needed
if allowed then
  tokens = tokens - permits
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
if allowed then
  return {1, '0'}
end
return {0, tostring(math.ceil((needed - tokens) / rate * 1000))}
`;

export interface RedisTokenBucketOptions {
  readonly url: string;
  /** Key prefix, e.g. `orch:`; buckets are `<prefix>submit-rate:<tenant>`. */
  readonly keyPrefix: string;
  /** Answers while Redis cannot (the limit then holds per replica only). */
  readonly fallback: RateLimiter;
  readonly metrics: DependencyMetrics;
  readonly logger: Logger;
  /** Per-command timeout. Default 500 ms: a submit must not wait on a hanging Redis. */
  readonly commandTimeoutMs?: number;
}

type TokenBucketRedis = Redis & {
  tokenBucket(key: string, rate: string, burst: string, permits: string, now: string): Promise<[number, string]>;
};

/**
 * The per-tenant submit rate limit shared by every replica: a token bucket in Redis, one Lua script
 * per request (atomic). Fails open to `fallback` (an in-process bucket) while Redis is unreachable
 * or slow, so submits keep working; the errors are counted (`orch_dependency_requests_total
 * {dependency="redis"}`) and logged at most every 30 s.
 */
export class RedisTokenBucketRateLimiter implements RateLimiter {
  private readonly redis: TokenBucketRedis;
  private readonly warning: ThrottledWarning;
  // Commands issued before the first connection wait for it (bounded); later ones fail fast.
  private firstConnection: Promise<void> | undefined;

  constructor(private readonly options: RedisTokenBucketOptions) {
    const redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      lazyConnect: false,
    });
    redis.defineCommand('tokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    // Connection errors are expected while Redis is down; commands report them, this only keeps them off stderr.
    redis.on('error', () => undefined);
    this.redis = redis as TokenBucketRedis;
    this.warning = new ThrottledWarning(options.logger, 30_000);
    this.firstConnection = new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.firstConnection = undefined;
        resolve();
      };
      const timer = setTimeout(settle, options.commandTimeoutMs ?? 500);
      redis.once('ready', settle);
      redis.once('error', settle);
    });
  }

  async tryAcquire(tenantId: string, permits: number, limit: SubmitRateLimit, now: Date): Promise<RateLimitDecision> {
    const started = performance.now();
    try {
      if (this.firstConnection !== undefined) await this.firstConnection;
      const [allowed, retryAfterMs] = await this.redis.tokenBucket(
        `submit-rate:${tenantId}`,
        String(limit.messagesPerSecond),
        String(limit.burst),
        String(permits),
        String(now.getTime()),
      );
      this.options.metrics.dependencyCall('redis', 'rate_limit', 'ok', (performance.now() - started) / 1000);
      return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs: Number(retryAfterMs) };
    } catch (error) {
      this.options.metrics.dependencyCall('redis', 'rate_limit', 'error', (performance.now() - started) / 1000);
      this.warning.warn(error, 'redis rate limiter unavailable; limiting per replica in memory');
      return this.options.fallback.tryAcquire(tenantId, permits, limit, now);
    }
  }

  /** Resolves when Redis answers PING (readiness). */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }
}
