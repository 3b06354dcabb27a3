import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { Bus, DeliveredMessage, Subscription } from '@sms/bus';
import type { Database } from '@sms/db';
import { createLogger } from '@sms/logging';
import { decodeEnvelope, encodeEnvelope } from '@sms/outbox';
import { systemClock, uuidv7, uuidv7Generator } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { natsBusFixture, testServices, uniqueName } from '@sms/testing';
import { RedisResolutionCache } from '../../src/adapters/redis/redis-resolution-cache.js';
import type { ResolutionCache } from '../../src/application/ports/resolution-cache.port.js';
import { InMemoryResolutionCache } from '../../src/application/testing/in-memory-resolution-cache.js';
import { startConfigService } from '../../src/composition.js';
import type { ConfigServiceRuntime } from '../../src/composition.js';
import { createConfigDatabase, SCHEMA } from './config-database.js';
import type { ConfigDatabaseFixture } from './config-database.js';

/** config-service wired as in production, on this machine's PostgreSQL, NATS JetStream and (optionally) Redis. */
export interface ServiceFixture {
  readonly db: ConfigDatabaseFixture;
  readonly bus: Bus;
  /** Prefix of every subject of this fixture (`<prefix>.config.value.set.v1`). */
  readonly prefix: string;
  readonly deadLetterPrefix: string;
  readonly runtime: ConfigServiceRuntime;
  readonly registry: Registry;
  readonly cache: ResolutionCache;
  /** Publishes an envelope on the subject of its type, as another service's relay would. */
  publish(envelope: EventEnvelope, msgId?: string): Promise<void>;
  /** Collects every message on these subjects (fixture prefix added) from now on, with its own durable. */
  collect(subjects: readonly string[]): Promise<Collector>;
  cleanup(): Promise<void>;
}

export interface Collector {
  readonly messages: DeliveredMessage[];
  envelopes(): EventEnvelope[];
  stop(): Promise<void>;
}

export async function startServiceFixture(label: string, options: { readonly cache?: 'memory' | 'redis' } = {}): Promise<ServiceFixture> {
  const db = await createConfigDatabase(label);
  const nats = await natsBusFixture(label);
  const { bus, subjectPrefix: prefix, deadLetterPrefix } = nats;
  const redisPrefix = `${prefix}:{res}:`;
  const cache: ResolutionCache & { close?: () => Promise<void> } =
    options.cache === 'redis'
      ? new RedisResolutionCache({ url: testServices.redisUrl, keyPrefix: redisPrefix, ttlMs: 60_000 })
      : new InMemoryResolutionCache(systemClock, 60_000);
  if (cache instanceof RedisResolutionCache) await cache.ready();
  const registry = new Registry();
  const runtime = await startConfigService({
    database: db.database as unknown as Database<unknown>,
    schema: SCHEMA,
    roles: db.roles,
    bus,
    resolutionCache: cache,
    clock: systemClock,
    ids: uuidv7Generator,
    logger: createLogger({ service: 'config-service', level: 'silent' }),
    registry,
    subjectPrefix: prefix,
    relayPollIntervalMs: 100,
  });
  const collectors: Collector[] = [];
  return {
    db,
    bus,
    prefix,
    deadLetterPrefix,
    runtime,
    registry,
    cache,
    async publish(envelope, msgId) {
      await bus.publish(`${prefix}.${envelope.type}`, encodeEnvelope(envelope), { msgId: msgId ?? envelope.id });
    },
    async collect(subjects) {
      const messages: DeliveredMessage[] = [];
      const subscription: Subscription = await bus.subscribe(
        { durable: uniqueName('collector'), subjects: subjects.map((s) => (s.startsWith(deadLetterPrefix) ? s : `${prefix}.${s}`)) },
        (message) => {
          messages.push(message);
          return Promise.resolve();
        },
      );
      const collector: Collector = {
        messages,
        envelopes: () =>
          messages.map((m) => {
            const decoded = decodeEnvelope(m.payload);
            if (!decoded.ok) throw new Error(decoded.error);
            return decoded.value;
          }),
        stop: () => subscription.stop(),
      };
      collectors.push(collector);
      return collector;
    },
    async cleanup() {
      await Promise.allSettled(collectors.map((c) => c.stop()));
      for (const step of runtime.closers) await step.close();
      await nats.cleanup();
      if (cache instanceof RedisResolutionCache) {
        await cache.close();
        const redis = new Redis(testServices.redisUrl);
        const keys = await redis.keys(`${redisPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
      await db.cleanup();
    },
  };
}

/** Polls `check` until it passes or `timeoutMs` runs out (then its last failure is thrown). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** A tenant-service event as the tenant side of the platform would publish it. */
export function tenantEvent(type: 'tenant.created.v1' | 'tenant.deleted.v1', data: Record<string, unknown>): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    aggregateType: 'tenant',
    aggregateId: String(data['tenantId']),
    tenantId: typeof data['tenantId'] === 'string' ? data['tenantId'] : null,
    occurredAt: new Date().toISOString(),
    data,
  };
}
