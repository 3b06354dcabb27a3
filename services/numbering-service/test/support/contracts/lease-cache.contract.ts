import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeaseCache, LeaseSnapshot } from '../../../src/index.js';

const snapshot = (sender: string, numberVersion: number, tenantId: string | null): LeaseSnapshot => ({
  numberId: 'n1',
  sender,
  numberVersion,
  lease:
    tenantId === null
      ? null
      : { leaseId: 'l1', tenantId, uses: ['otp'], startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2027-01-01T00:00:00.000Z' },
});

/** The behaviour every LeaseCache must show; `make` returns an empty cache (unique key prefix per run). */
export function describeLeaseCacheContract(name: string, make: () => Promise<{ cache: LeaseCache; close: () => Promise<void> }>): void {
  describe(`${name}: lease cache contract`, () => {
    let cache: LeaseCache;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ cache, close } = await make());
    });
    afterEach(async () => {
      await close();
    });

    it('misses a sender it never saw', async () => {
      expect(await cache.get('+93701000001')).toBeUndefined();
    });

    it('returns what was put, after a JSON round trip', async () => {
      const s = snapshot('+93701000002', 3, 'tenant-a');
      await cache.put(s);

      expect(await cache.get(s.sender)).toEqual(s);
    });

    it('caches a number that is not leased', async () => {
      const s = snapshot('+93701000003', 2, null);
      await cache.put(s);

      expect(await cache.get(s.sender)).toEqual(s);
    });

    it('keeps a newer snapshot when an older one is put after it', async () => {
      await cache.put(snapshot('+93701000004', 5, 'tenant-new'));
      await cache.put(snapshot('+93701000004', 4, 'tenant-old'));

      expect((await cache.get('+93701000004'))?.lease?.tenantId).toBe('tenant-new');
    });

    it('replaces an older snapshot with a newer one', async () => {
      await cache.put(snapshot('+93701000005', 4, 'tenant-old'));
      await cache.put(snapshot('+93701000005', 5, 'tenant-new'));

      expect((await cache.get('+93701000005'))?.numberVersion).toBe(5);
    });

    it('misses after an invalidation', async () => {
      await cache.put(snapshot('+93701000006', 3, 'tenant-a'));
      await cache.invalidate('+93701000006', 4);

      expect(await cache.get('+93701000006')).toBeUndefined();
    });

    it('refuses a snapshot older than the invalidation', async () => {
      await cache.invalidate('+93701000007', 4);
      await cache.put(snapshot('+93701000007', 3, 'tenant-a'));

      expect(await cache.get('+93701000007')).toBeUndefined();
    });

    it('accepts the snapshot of the invalidating version itself', async () => {
      await cache.invalidate('+93701000008', 4);
      await cache.put(snapshot('+93701000008', 4, null));

      expect((await cache.get('+93701000008'))?.numberVersion).toBe(4);
    });
  });
}
