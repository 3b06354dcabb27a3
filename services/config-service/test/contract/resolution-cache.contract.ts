import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolutionCache } from '../../src/application/ports/resolution-cache.port.js';
import type { ResolvedConfig } from '../../src/domain/resolution.js';

/** One contract for every adapter of the ResolutionCache port. */
export interface ResolutionCacheFixture {
  /** A cache of its own (no entry shared with the caches of other tests), whose entries live `ttlMs`. */
  cache(ttlMs: number): Promise<ResolutionCache>;
  /** Lets `ms` pass for the cache (a manual clock, or real time for a server). */
  pass(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

const resolved = (path: string, value = 1): ResolvedConfig => ({
  nodeId: `id-${path}`,
  path,
  level: 'tenant',
  tenantId: 'tenant-1',
  isTenantRoot: true,
  chain: [{ nodeId: `id-${path}`, path, version: 1 }],
  values: {
    'sms.max_parts_per_message': { value, source: { kind: 'default' }, lockedAt: null, sensitive: false, deprecated: false, ownerService: 'sms-orchestrator' },
  },
});

const KABUL = '/GLOBAL/region:kabul';
const ACME = '/GLOBAL/region:kabul/tenant:acme';
const BILLING = '/GLOBAL/region:kabul/tenant:acme/sub-account:billing';
const KABUL_LOOKALIKE = '/GLOBAL/region:kabul2/tenant:acme';
const HERAT = '/GLOBAL/region:herat/tenant:acme';

export function describeResolutionCacheContract(name: string, factory: () => Promise<ResolutionCacheFixture>): void {
  describe(`ResolutionCache contract: ${name}`, () => {
    let fixture: ResolutionCacheFixture;
    const LONG = 60_000;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.cleanup();
    });

    const store = async (cache: ResolutionCache, reference: string, path: string): Promise<void> => {
      await cache.put(reference, resolved(path), await cache.epoch());
    };

    it('answers null for a reference never stored', async () => {
      const cache = await fixture.cache(LONG);

      expect(await cache.get(ACME)).toBeNull();
    });

    it('returns what was stored under a reference', async () => {
      const cache = await fixture.cache(LONG);
      await cache.put('tenant:tenant-1', resolved(ACME, 4), await cache.epoch());

      expect(await cache.get('tenant:tenant-1')).toEqual(resolved(ACME, 4));
    });

    it('drops the entries of an invalidated node and of every node below it, whatever reference named them', async () => {
      const cache = await fixture.cache(LONG);
      await store(cache, KABUL, KABUL);
      await store(cache, 'tenant:tenant-1', ACME);
      await store(cache, BILLING, BILLING);

      await cache.invalidate(KABUL);

      expect(await Promise.all([cache.get(KABUL), cache.get('tenant:tenant-1'), cache.get(BILLING)])).toEqual([null, null, null]);
    });

    it('keeps the entries of ancestors, of other branches and of paths that merely start alike', async () => {
      const cache = await fixture.cache(LONG);
      for (const path of ['/GLOBAL', KABUL, HERAT, KABUL_LOOKALIKE, ACME]) await store(cache, path, path);

      await cache.invalidate(ACME);

      expect((await Promise.all(['/GLOBAL', KABUL, HERAT, KABUL_LOOKALIKE, ACME].map((p) => cache.get(p)))).map((r) => r?.path ?? null)).toEqual([
        '/GLOBAL',
        KABUL,
        HERAT,
        KABUL_LOOKALIKE,
        null,
      ]);
    });

    it('drops everything on invalidateAll', async () => {
      const cache = await fixture.cache(LONG);
      for (const path of [KABUL, HERAT, BILLING]) await store(cache, path, path);

      await cache.invalidateAll();

      expect(await Promise.all([KABUL, HERAT, BILLING].map((p) => cache.get(p)))).toEqual([null, null, null]);
    });

    it('does not store a resolution computed before its node was invalidated', async () => {
      const cache = await fixture.cache(LONG);
      const readEpoch = await cache.epoch();

      await cache.invalidate(ACME);
      await cache.put(ACME, resolved(ACME), readEpoch);

      expect(await cache.get(ACME)).toBeNull();
    });

    it('does not store a resolution computed before an ancestor of its node was invalidated', async () => {
      const cache = await fixture.cache(LONG);
      const readEpoch = await cache.epoch();

      await cache.invalidate(KABUL);
      await cache.put(BILLING, resolved(BILLING), readEpoch);

      expect(await cache.get(BILLING)).toBeNull();
    });

    it('does not store a resolution computed before everything was invalidated', async () => {
      const cache = await fixture.cache(LONG);
      const readEpoch = await cache.epoch();

      await cache.invalidateAll();
      await cache.put(HERAT, resolved(HERAT), readEpoch);

      expect(await cache.get(HERAT)).toBeNull();
    });

    it('stores a resolution computed before an invalidation of an unrelated node', async () => {
      const cache = await fixture.cache(LONG);
      const readEpoch = await cache.epoch();

      await cache.invalidate(HERAT);
      await cache.put(ACME, resolved(ACME), readEpoch);

      expect(await cache.get(ACME)).toEqual(resolved(ACME));
    });

    it('stores a resolution computed after the invalidation of its node', async () => {
      const cache = await fixture.cache(LONG);
      await cache.invalidate(ACME);

      await cache.put(ACME, resolved(ACME, 2), await cache.epoch());

      expect(await cache.get(ACME)).toEqual(resolved(ACME, 2));
    });

    it('forgets an entry once its time to live has passed', async () => {
      const cache = await fixture.cache(200);
      await store(cache, ACME, ACME);

      await fixture.pass(400);

      expect(await cache.get(ACME)).toBeNull();
    });
  });
}
