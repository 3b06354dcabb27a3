import { beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../../src/index.js';

const T = new Date('2026-05-01T10:00:00.000Z');
const at = (ms: number): Date => new Date(T.getTime() + ms);
const HOUR = 3_600_000;

/**
 * The behaviour every IdempotencyStore must show. `make` returns a store with a 48 h window and a 30 s
 * claim timeout, empty for the scopes this suite uses (give each run a unique scope prefix).
 */
export function describeIdempotencyStoreContract(name: string, make: () => Promise<{ store: IdempotencyStore; scope: string }>): void {
  describe(`${name}: idempotency store contract`, () => {
    let store: IdempotencyStore;
    let request: { scope: string; key: string; fingerprint: string };
    beforeEach(async () => {
      const made = await make();
      store = made.store;
      request = { scope: made.scope, key: 'k1', fingerprint: 'f1' };
    });

    it('grants the first claim of a key', async () => {
      expect(await store.claim(request, T)).toEqual({ status: 'claimed' });
    });

    it('grants only one of two concurrent claims', async () => {
      const claims = await Promise.all([store.claim(request, T), store.claim(request, T)]);

      expect(claims.map((c) => c.status).sort()).toEqual(['claimed', 'in_progress']);
    });

    it('replays a completed outcome exactly', async () => {
      await store.claim(request, T);
      const outcome = { ok: true as const, value: { number: '+93701234567', when: T.toISOString(), nested: { n: 1, none: null } } };
      await store.complete(request, outcome, T);

      expect(await store.claim(request, at(1000))).toEqual({ status: 'replay', outcome });
    });

    it('replays a refusal too', async () => {
      await store.claim(request, T);
      const outcome = { ok: false as const, error: { code: 'NUMBERING.NUMBER_NOT_AVAILABLE' as const, message: 'taken' } };
      await store.complete(request, outcome, T);

      expect(await store.claim(request, T)).toEqual({ status: 'replay', outcome });
    });

    it('refuses the key for a different request', async () => {
      await store.claim(request, T);

      expect(await store.claim({ ...request, fingerprint: 'f2' }, T)).toEqual({ status: 'mismatch' });
    });

    it('lets the key be claimed again after a release', async () => {
      await store.claim(request, T);
      await store.release(request);

      expect(await store.claim(request, T)).toEqual({ status: 'claimed' });
    });

    it('does not release a completed key', async () => {
      await store.claim(request, T);
      await store.complete(request, { ok: true, value: 1 }, T);
      await store.release(request);

      expect((await store.claim(request, T)).status).toBe('replay');
    });

    it('lets a claim abandoned for longer than the timeout be taken over', async () => {
      await store.claim(request, T);

      expect([(await store.claim(request, at(29_999))).status, (await store.claim(request, at(30_000))).status]).toEqual(['in_progress', 'claimed']);
    });

    it('forgets a completed key after the 48-hour window', async () => {
      await store.claim(request, T);
      await store.complete(request, { ok: true, value: 1 }, T);

      expect([(await store.claim(request, at(48 * HOUR - 1))).status, (await store.claim({ ...request, fingerprint: 'f2' }, at(48 * HOUR))).status]).toEqual([
        'replay',
        'claimed',
      ]);
    });

    it('keeps scopes apart', async () => {
      await store.claim(request, T);

      expect(await store.claim({ ...request, scope: `${request.scope}-other` }, T)).toEqual({ status: 'claimed' });
    });
  });
}
