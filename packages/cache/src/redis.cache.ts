import { Redis } from 'ioredis';
import { CacheUnavailableError } from './cache.port.js';
import type { Cache, CacheSetOptions } from './cache.port.js';
import { silentCacheLogger } from './cache-logger.js';
import type { CacheLogger } from './cache-logger.js';
import { checkedTtl } from './ttl.js';

export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  readonly url: string;
  /** Prepended to every key; end it with a separator (`numbering:`). */
  readonly keyPrefix: string;
  readonly logger?: CacheLogger;
  /**
   * How long one command may take, and how long a command issued before the first connection waits for it,
   * before it rejects with CacheUnavailableError. Default 1000 ms.
   */
  readonly commandTimeoutMs?: number;
}

/**
 * A {@link Cache} over Redis (ioredis). Built to fail fast, so callers can fall back to the source:
 * - no offline queue: while Redis is unreachable a command rejects at once with {@link CacheUnavailableError}
 *   instead of waiting for a reconnection (and being replayed, stale, after it);
 * - a command timeout (default 1 s) bounds a command to a server that accepted the connection but does not answer;
 * - the connection is re-established in the background for ever (backoff up to 2 s), and commands work again as
 *   soon as it is.
 * Only commands issued before the very first connection wait for it, up to the command timeout.
 *
 * Expiry notifications use Redis keyspace events on a second (subscriber) connection; see {@link Cache.onExpired}
 * and the package README about `notify-keyspace-events`.
 */
export function createRedisCache(options: RedisCacheOptions): Cache {
  return new RedisCache(options);
}

class RedisCache implements Cache {
  private readonly client: Redis;
  private readonly logger: CacheLogger;
  private readonly commandTimeoutMs: number;
  private readonly keyPrefix: string;
  private subscriber: Redis | undefined;
  private subscribing: Promise<Redis> | undefined;
  private readonly listeners = new Set<{ readonly prefix: string; readonly handler: (key: string) => void }>();
  private wasReady = false;
  private closed = false;

  constructor(options: RedisCacheOptions) {
    this.logger = options.logger ?? silentCacheLogger;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.keyPrefix = options.keyPrefix;
    this.client = new Redis(options.url, {
      enableOfflineQueue: false,
      commandTimeout: this.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    });
    this.client.on('ready', () => {
      if (this.wasReady) this.logger.info({}, 'Redis reconnected');
      this.wasReady = true;
    });
    this.client.on('error', (error: Error) => this.logger.warn({ error: error.message }, 'Redis connection error'));
  }

  get(key: string): Promise<string | null> {
    return this.command('GET', () => this.client.get(this.keyPrefix + key));
  }

  async set(key: string, value: string, options?: CacheSetOptions): Promise<void> {
    const ttlMs = checkedTtl(options);
    const full = this.keyPrefix + key;
    await this.command('SET', () =>
      ttlMs === undefined ? this.client.set(full, value) : this.client.set(full, value, 'PX', ttlMs),
    );
  }

  async setIfAbsent(key: string, value: string, options?: CacheSetOptions): Promise<boolean> {
    const ttlMs = checkedTtl(options);
    const full = this.keyPrefix + key;
    const reply = await this.command('SET NX', () =>
      ttlMs === undefined ? this.client.set(full, value, 'NX') : this.client.set(full, value, 'PX', ttlMs, 'NX'),
    );
    return reply === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.command('DEL', () => this.client.del(this.keyPrefix + key))) > 0;
  }

  async ping(): Promise<void> {
    await this.command('PING', () => this.client.ping());
  }

  async onExpired(keyPrefix: string, handler: (key: string) => void): Promise<() => Promise<void>> {
    await this.ensureSubscriber();
    const listener = { prefix: this.keyPrefix + keyPrefix, handler };
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      return Promise.resolve();
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    const connections = this.subscriber ? [this.client, this.subscriber] : [this.client];
    await Promise.all(connections.map((connection) => quit(connection)));
  }

  private async command<T>(name: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new CacheUnavailableError('the Redis cache is closed');
    if (!this.wasReady) await this.firstConnection();
    try {
      return await run();
    } catch (error) {
      if (isServerReply(error)) throw error;
      throw new CacheUnavailableError(`Redis ${name} failed: ${messageOf(error)} (status ${this.client.status})`, {
        cause: error,
      });
    }
  }

  private firstConnection(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    // A failed first attempt means Redis is down: answer now rather than after the timeout.
    if (this.client.status === 'reconnecting' || this.client.status === 'end') {
      return Promise.reject(new CacheUnavailableError(`Redis is not reachable (status ${this.client.status})`));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new CacheUnavailableError(`Redis is not reachable (no connection within ${this.commandTimeoutMs} ms)`));
      }, this.commandTimeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  /**
   * One subscriber connection for all expiry listeners, on `__keyevent@<db>__:expired`. Keyspace events must be
   * on (`notify-keyspace-events` holding `E` and `x`, or `A`): when they are not, this adds them with CONFIG SET,
   * keeping the flags already set. Managed Redis services often refuse CONFIG; there the setting must be made on
   * the server, and a refused CONFIG GET is only logged.
   */
  private ensureSubscriber(): Promise<Redis> {
    this.subscribing ??= (async () => {
      await this.enableExpiryEvents();
      // The subscriber may queue its SUBSCRIBE until connected, and re-subscribes by itself after a reconnection.
      const subscriber = this.client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
      subscriber.on('error', (error: Error) =>
        this.logger.warn({ error: error.message }, 'Redis subscriber connection error'),
      );
      const channel = `__keyevent@${this.client.options.db ?? 0}__:expired`;
      subscriber.on('message', (from: string, key: string) => {
        if (from === channel) this.dispatchExpired(key);
      });
      try {
        await subscriber.subscribe(channel);
      } catch (error) {
        subscriber.disconnect();
        throw new CacheUnavailableError(`Redis SUBSCRIBE ${channel} failed: ${messageOf(error)}`, { cause: error });
      }
      this.subscriber = subscriber;
      return subscriber;
    })();
    this.subscribing.catch(() => {
      this.subscribing = undefined;
    });
    return this.subscribing;
  }

  private async enableExpiryEvents(): Promise<void> {
    let current: string;
    try {
      const reply = (await this.command('CONFIG GET', () =>
        this.client.config('GET', 'notify-keyspace-events'),
      )) as string[];
      current = reply[1] ?? '';
    } catch (error) {
      if (error instanceof CacheUnavailableError) throw error;
      this.logger.warn(
        { error: messageOf(error) },
        'cannot read notify-keyspace-events (CONFIG refused); make sure the server has it include "Ex"',
      );
      return;
    }
    const hasExpired = current.includes('x') || current.includes('A');
    if (current.includes('E') && hasExpired) return;
    const wanted = `${current}${current.includes('E') ? '' : 'E'}${hasExpired ? '' : 'x'}`;
    try {
      await this.command('CONFIG SET', () => this.client.config('SET', 'notify-keyspace-events', wanted));
      this.logger.info({ from: current, to: wanted }, 'enabled Redis keyspace events for expired keys');
    } catch (error) {
      throw new Error(
        `Redis expiry notifications need notify-keyspace-events to include "Ex" (it is "${current}") and ` +
          `CONFIG SET was refused: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  private dispatchExpired(fullKey: string): void {
    for (const listener of this.listeners) {
      if (!fullKey.startsWith(listener.prefix)) continue;
      try {
        listener.handler(fullKey.slice(this.keyPrefix.length));
      } catch (error) {
        this.logger.error({ key: fullKey, error: messageOf(error) }, 'cache expiry handler threw');
      }
    }
  }
}

async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  await connection.quit().catch(() => connection.disconnect());
}

/** An error reply from the server (wrong type, refused command), as opposed to a connection problem. */
function isServerReply(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
