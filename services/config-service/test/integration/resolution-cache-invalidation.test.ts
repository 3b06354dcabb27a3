import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import { PostgresUnitOfWork } from '../../src/adapters/postgres/postgres-unit-of-work.js';
import { CedarAccessPolicy } from '../../src/adapters/authorization/cedar-access-policy.js';
import type { ResolutionCache } from '../../src/application/ports/resolution-cache.port.js';
import { SetValueUseCase } from '../../src/application/set-value.use-case.js';
import { systemRoles } from '../../src/domain/config-seed.js';
import { SCHEMA } from '../support/config-database.js';
import { eventually, startServiceFixture } from '../support/service-fixture.js';
import type { ServiceFixture } from '../support/service-fixture.js';
import { actors } from '../support/tree.js';

const RATE = 'sms.submit_rate_per_second';
const admin = actors.platformAdmin;

/** A cache that ignores invalidations: the replica that made the change crashed before invalidating. */
const blindCache: ResolutionCache = {
  epoch: () => Promise.resolve(0),
  get: () => Promise.resolve(null),
  put: () => Promise.resolve(),
  invalidate: () => Promise.resolve(),
  invalidateAll: () => Promise.resolve(),
};

/**
 * The resolution cache in Redis is invalidated by the change events on the bus, not only by the
 * replica that made the change: here the change is made by a "replica" that never invalidates,
 * and the service's answer still changes once the event has travelled outbox → NATS → consumer.
 */
describe('resolution cache invalidation by change events (Redis, NATS)', () => {
  let service: ServiceFixture;

  beforeAll(async () => {
    service = await startServiceFixture('cfg_invalidation', { cache: 'redis' });
  });
  afterAll(async () => {
    await service.cleanup();
  });

  it('answers a second resolution from the Redis cache', async () => {
    const resolve = () => service.runtime.useCases.resolve.execute({ subject: admin, node: '/GLOBAL' });

    const first = await resolve();
    const second = await resolve();

    expect([first.ok && first.value.cached, second.ok && second.value.cached]).toEqual([false, true]);
  });

  it('drops a cached resolution when another replica’s change event arrives', async () => {
    const created = await service.runtime.useCases.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'region', name: 'cached', reason: 'arrange' });
    const node = created.ok ? created.value.path : '';
    const resolve = () => service.runtime.useCases.resolve.execute({ subject: admin, node, keys: [RATE] });
    // Cached once the node's own creation event (which invalidates it) has been consumed.
    let cachedBefore = await resolve();
    await eventually(async () => {
      cachedBefore = await resolve();
      expect(cachedBefore.ok && cachedBefore.value.cached).toBe(true);
    });
    const otherReplica = new SetValueUseCase({
      uow: new PostgresUnitOfWork({ db: service.db.database.db, schema: SCHEMA, roles: service.db.roles, clock: systemClock }),
      accessPolicy: new CedarAccessPolicy(systemRoles),
      cache: blindCache,
      clock: systemClock,
      ids: uuidv7Generator,
    });

    await otherReplica.execute({ subject: admin, node, key: RATE, value: 321, reason: 'changed elsewhere' });

    expect(cachedBefore.ok && [cachedBefore.value.cached, cachedBefore.value.values[RATE]?.value]).toEqual([true, 100]);
    await eventually(async () => {
      const after = await resolve();
      expect(after.ok && after.value.values[RATE]?.value).toBe(321);
    });
  });

  it('drops every cached resolution when a key definition changes', async () => {
    await service.runtime.useCases.resolve.execute({ subject: admin, node: '/GLOBAL' });

    await service.runtime.useCases.defineKey.execute({
      subject: admin,
      draft: { key: 'sms.cache_probe', schema: { type: 'integer', default: 1 }, description: '', sensitive: false, ownerService: null },
    });
    const after = await service.runtime.useCases.resolve.execute({ subject: admin, node: '/GLOBAL' });

    expect(after.ok && [after.value.cached, after.value.values['sms.cache_probe']?.value]).toEqual([false, 1]);
  });
});
