import { describe, expect, it } from 'vitest';
import { ManualClock } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { InvalidateResolutionCacheUseCase } from '../../../src/application/invalidate-resolution-cache.use-case.js';
import { ReloadAccessPolicyUseCase } from '../../../src/application/reload-access-policy.use-case.js';
import { InMemoryResolutionCache } from '../../../src/application/testing/in-memory-resolution-cache.js';
import type { ResolvedConfig } from '../../../src/domain/resolution.js';
import { PATHS, createWorld, subjects } from '../../support/world.js';

const resolvedAt = (path: string): ResolvedConfig => ({
  nodeId: path,
  path,
  level: 'x',
  tenantId: null,
  isTenantRoot: false,
  chain: [],
  values: {},
});

function setup() {
  const clock = new ManualClock();
  return { clock, cache: new InMemoryResolutionCache(clock, 1_000) };
}

describe('InMemoryResolutionCache', () => {
  it('returns what was put', async () => {
    const { cache } = setup();
    await cache.put(PATHS.acme, resolvedAt(PATHS.acme), await cache.epoch());
    expect(await cache.get(PATHS.acme)).toEqual(resolvedAt(PATHS.acme));
  });

  it('forgets an entry after its TTL', async () => {
    const { cache, clock } = setup();
    await cache.put(PATHS.acme, resolvedAt(PATHS.acme), await cache.epoch());
    clock.advance(1_000);
    expect(await cache.get(PATHS.acme)).toBeNull();
  });

  it('drops the entries of a node and of everything below it', async () => {
    const { cache } = setup();
    for (const path of [PATHS.kabul, PATHS.acme, PATHS.acmeBilling, PATHS.globex]) await cache.put(path, resolvedAt(path), await cache.epoch());
    await cache.invalidate(PATHS.acme);
    expect([await cache.get(PATHS.kabul), await cache.get(PATHS.acme), await cache.get(PATHS.acmeBilling), await cache.get(PATHS.globex)]).toEqual([
      resolvedAt(PATHS.kabul),
      null,
      null,
      resolvedAt(PATHS.globex),
    ]);
  });

  it('drops an entry stored under a tenant reference when its node is invalidated', async () => {
    const { cache } = setup();
    await cache.put('tenant:tenant-acme', resolvedAt(PATHS.acme), await cache.epoch());
    await cache.invalidate(PATHS.kabul);
    expect(cache.size).toBe(0);
  });

  it('refuses to store an answer computed before an invalidation of an ancestor', async () => {
    const { cache } = setup();
    const epoch = await cache.epoch();
    await cache.invalidate(PATHS.kabul);
    await cache.put(PATHS.acme, resolvedAt(PATHS.acme), epoch);
    expect(await cache.get(PATHS.acme)).toBeNull();
  });

  it('stores an answer computed after the last invalidation', async () => {
    const { cache } = setup();
    await cache.invalidate(PATHS.kabul);
    await cache.put(PATHS.acme, resolvedAt(PATHS.acme), await cache.epoch());
    expect(cache.size).toBe(1);
  });

  it('stores an answer when only an unrelated node was invalidated meanwhile', async () => {
    const { cache } = setup();
    const epoch = await cache.epoch();
    await cache.invalidate(PATHS.globex);
    await cache.put(PATHS.acme, resolvedAt(PATHS.acme), epoch);
    expect(cache.size).toBe(1);
  });

  it('refuses to store an answer computed before a full invalidation', async () => {
    const { cache } = setup();
    const epoch = await cache.epoch();
    await cache.invalidateAll();
    await cache.put(PATHS.acme, resolvedAt(PATHS.acme), epoch);
    expect(cache.size).toBe(0);
  });
});

const event = (type: string, data: Record<string, unknown>): EventEnvelope => ({
  id: 'e',
  type,
  aggregateType: 'config-node',
  aggregateId: 'n',
  tenantId: null,
  occurredAt: '2026-01-01T00:00:00.000Z',
  data,
});

describe('InvalidateResolutionCacheUseCase', () => {
  it('drops the changed node and its subtree on a value change event', async () => {
    const { cache } = setup();
    await cache.put(PATHS.acmeBilling, resolvedAt(PATHS.acmeBilling), await cache.epoch());
    const result = await new InvalidateResolutionCacheUseCase({ cache }).execute(event('config.value.set.v1', { path: PATHS.acme }));
    expect([result, cache.size]).toEqual([{ ok: true, value: { invalidated: [PATHS.acme] } }, 0]);
  });

  it('drops both the old and the new place on a move', async () => {
    const { cache } = setup();
    const result = await new InvalidateResolutionCacheUseCase({ cache }).execute(
      event('config.node.moved.v1', { path: '/GLOBAL/tenant:acme', fromPath: PATHS.acme }),
    );
    expect(result).toEqual({ ok: true, value: { invalidated: ['/GLOBAL/tenant:acme', PATHS.acme] } });
  });

  it('drops everything on a key change', async () => {
    const { cache } = setup();
    await cache.put(PATHS.globex, resolvedAt(PATHS.globex), await cache.epoch());
    await new InvalidateResolutionCacheUseCase({ cache }).execute(event('config.key.updated.v1', { key: 'a.b' }));
    expect(cache.size).toBe(0);
  });

  it('leaves the cache alone on role events', async () => {
    const { cache } = setup();
    await cache.put(PATHS.globex, resolvedAt(PATHS.globex), await cache.epoch());
    const result = await new InvalidateResolutionCacheUseCase({ cache }).execute(event('config.role.assigned.v1', { subjectId: 'u' }));
    expect([result, cache.size]).toEqual([{ ok: true, value: { invalidated: [] } }, 1]);
  });

  it('ignores a node event without a path', async () => {
    const { cache } = setup();
    const result = await new InvalidateResolutionCacheUseCase({ cache }).execute(event('config.lock.set.v1', { path: 42 }));
    expect(result).toEqual({ ok: true, value: { invalidated: [] } });
  });
});

describe('ReloadAccessPolicyUseCase', () => {
  it('loads the stored roles into the access policy', async () => {
    const world = createWorld();
    world.uow.seed({
      roles: [{ name: 'auditor-plus', description: '', system: false, tenantAssignable: false, grants: [{ actions: ['policy.read'], scope: 'everywhere', keys: 'all' }], version: 1, updatedAt: '' }],
    });
    const result = await new ReloadAccessPolicyUseCase(world.deps).execute();
    const decision = world.accessPolicy.decide({ ...subjects.nobody, roles: ['auditor-plus'] }, 'policy.read', { kind: 'policy', role: null });
    expect([result, decision.allowed]).toEqual([{ ok: true, value: { roles: 5 } }, true]);
  });
});
