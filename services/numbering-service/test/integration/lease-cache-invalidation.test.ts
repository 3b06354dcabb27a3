import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Subscription } from '@sms/bus';
import { OutboxRelay } from '@sms/outbox';
import { testServices, uniqueName } from '@sms/testing';
import { InvalidateLeaseCacheOnEvent } from '../../src/index.js';
import type { LeaseCache } from '../../src/index.js';
import { subscribeLeaseCacheInvalidation } from '../../src/adapters/nats/lease-cache-invalidation.consumer.js';
import type { NumberingTables } from '../../src/adapters/postgres/numbering-tables.js';
import { RedisLeaseCache } from '../../src/adapters/redis/redis-lease.cache.js';
import { createNatsFixture } from '../support/nats-fixture.js';
import type { NatsFixture } from '../support/nats-fixture.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';

const ACME = 'tenant-acme';
const SENDER = '+93705550001';

describe('lease cache invalidation by the number events on NATS', () => {
  let fixture: PostgresFixture;
  let nats: NatsFixture;
  let redis: RedisLeaseCache;
  let world: PostgresWorld;
  let relay: OutboxRelay<NumberingTables> | undefined;
  let subscription: Subscription | undefined;

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_invalidation');
    nats = await createNatsFixture('numbering_invalidation');
    redis = new RedisLeaseCache({ url: testServices.redisUrl, keyPrefix: `${uniqueName('lease_events')}:`, ttlMs: 30_000 });
    // The use cases' own after-commit invalidation is lost (as in a crash right after commit): only the event path is left.
    const losingInvalidations: LeaseCache = {
      get: (sender) => redis.get(sender),
      put: (snapshot) => redis.put(snapshot),
      invalidate: () => Promise.resolve(),
    };
    world = await createPostgresWorld(fixture, { tenants: [ACME], leaseCache: losingInvalidations });
    const started = new OutboxRelay({
      db: fixture.database.db,
      schema: world.schema.name,
      bus: nats.bus,
      subjectFor: (event) => `${nats.subjectPrefix}${event.type}`,
      role: fixture.roles.systemRole,
      pollIntervalMs: 50,
    });
    started.start();
    relay = started;
  });
  afterAll(async () => {
    await subscription?.stop();
    await relay?.stop();
    await redis?.close();
    await nats?.cleanup();
    await fixture?.close();
  });

  it('drops a cached lease when its release is published, though the after-commit invalidation was lost', async () => {
    await world.addNumbers([SENDER]);
    const acme = world.useCases.forActor(tenant(ACME));
    await acme.reserve.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number: SENDER, tenantId: ACME, tenantPoolId: world.tenantPools[ACME] ?? '' });
    await acme.assign.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number: SENDER, tenantId: ACME, uses: ['otp'] });
    const validate = () => world.useCases.validateLease.execute({ sender: SENDER, tenantId: ACME, use: 'otp' });
    await validate();
    await acme.release.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number: SENDER, tenantId: ACME });
    const stale = await validate();

    subscription = await subscribeLeaseCacheInvalidation({
      bus: nats.bus,
      handler: new InvalidateLeaseCacheOnEvent({ leaseCache: redis }),
      durable: uniqueName('lease_cache'),
      subjectPrefix: nats.subjectPrefix,
    });

    expect(stale.ok && [stale.value.source, stale.value.verdict.valid]).toEqual(['cache', true]);
    await vi.waitFor(
      async () => {
        const fresh = await validate();
        expect(fresh.ok && fresh.value.verdict).toEqual({ valid: false, reason: 'not_leased' });
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});
