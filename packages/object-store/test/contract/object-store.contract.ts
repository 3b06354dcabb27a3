/**
 * The one behaviour suite every ObjectStore adapter passes. Each adapter's test file calls
 * {@link describeObjectStoreContract} with a harness that builds its stores. Retention is not in
 * here: s3rver, the S3 stand-in of these tests, has no Object Lock (see the README).
 */
import { uniqueName } from '@sms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectAlreadyExistsError, ObjectKeyRejectedError, ObjectStoreUnavailableError } from '../../src/index.js';
import type { ObjectStore } from '../../src/index.js';

export interface ObjectStoreContractHarness {
  /** A store of the adapter under test on a healthy backend, empty or holding only other tests' keys. */
  readonly store: ObjectStore;
  /** A store of the same adapter whose backend cannot be used (closed port, a file where the folder should be). */
  readonly unavailableStore: ObjectStore;
  close(): Promise<void>;
}

/** Keys that must be refused: escapes, absolute keys, empty segments, odd characters. */
export const REFUSED_KEYS: readonly string[] = [
  '',
  '/etc/passwd',
  '..',
  '../escape',
  'exports/../../etc',
  'exports/./2026',
  'exports//2026',
  'exports/',
  'with space',
  'tilde~meta',
  'back\\slash',
  'query?x=1',
  'fragment#x',
  'percent%2e%2e',
  'ümlaut',
  'nul\u0000byte',
];

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array | null): string | null => (data === null ? null : new TextDecoder().decode(data));

export function describeObjectStoreContract(adapter: string, open: () => Promise<ObjectStoreContractHarness>): void {
  describe(`ObjectStore contract: ${adapter}`, () => {
    let harness: ObjectStoreContractHarness;
    let store: ObjectStore;
    let root: string;

    beforeAll(async () => {
      harness = await open();
      store = harness.store;
      root = uniqueName('contract');
    });

    afterAll(async () => {
      await harness.close();
    });

    it('returns the bytes that were put', async () => {
      const body = Uint8Array.from([0, 1, 2, 250, 255, 0, 10, 13]);

      await store.put(`${root}/binary.bin`, body);

      expect(await store.get(`${root}/binary.bin`)).toEqual(body);
    });

    it('reports the size and content type in head', async () => {
      await store.put(`${root}/inventory.csv`, bytes('msisdn\n93700000001\n'), { contentType: 'text/csv' });

      expect(await store.head(`${root}/inventory.csv`)).toEqual({ size: 19, contentType: 'text/csv' });
    });

    it('uses application/octet-stream when no content type is given', async () => {
      await store.put(`${root}/untyped`, bytes('x'));

      expect((await store.head(`${root}/untyped`))?.contentType).toBe('application/octet-stream');
    });

    it('stores an empty object', async () => {
      await store.put(`${root}/empty`, new Uint8Array());

      expect(await store.get(`${root}/empty`)).toEqual(new Uint8Array());
    });

    it('replaces an object on a second put without ifAbsent', async () => {
      await store.put(`${root}/replaced`, bytes('first'));
      await store.put(`${root}/replaced`, bytes('second'));

      expect(text(await store.get(`${root}/replaced`))).toBe('second');
    });

    it('refuses a second put with ifAbsent', async () => {
      await store.put(`${root}/once`, bytes('first'), { ifAbsent: true });

      await expect(store.put(`${root}/once`, bytes('second'), { ifAbsent: true })).rejects.toBeInstanceOf(
        ObjectAlreadyExistsError,
      );
    });

    it('keeps the first bytes when an ifAbsent put is refused', async () => {
      await store.put(`${root}/kept`, bytes('first'));
      await store.put(`${root}/kept`, bytes('second'), { ifAbsent: true }).catch(() => undefined);

      expect(text(await store.get(`${root}/kept`))).toBe('first');
    });

    it('returns null from get for a missing key', async () => {
      expect(await store.get(`${root}/missing`)).toBeNull();
    });

    it('returns null from head for a missing key', async () => {
      expect(await store.head(`${root}/missing`)).toBeNull();
    });

    it('lists the keys under a prefix, sorted, and no others', async () => {
      await store.put(`${root}/list/b.csv`, bytes('b'));
      await store.put(`${root}/list/a.csv`, bytes('a'));
      await store.put(`${root}/list/sub/c.csv`, bytes('c'));
      await store.put(`${root}/listed-elsewhere.csv`, bytes('x'));

      expect(await store.list(`${root}/list/`)).toEqual([`${root}/list/a.csv`, `${root}/list/b.csv`, `${root}/list/sub/c.csv`]);
    });

    it('lists by plain string prefix, not only whole segments', async () => {
      await store.put(`${root}/exports/2026-01/atra.csv`, bytes('1'));
      await store.put(`${root}/exports/2026-02/atra.csv`, bytes('2'));
      await store.put(`${root}/exports/2025-12/atra.csv`, bytes('0'));

      expect(await store.list(`${root}/exports/2026-0`)).toEqual([
        `${root}/exports/2026-01/atra.csv`,
        `${root}/exports/2026-02/atra.csv`,
      ]);
    });

    it('lists nothing under a prefix that holds no keys', async () => {
      expect(await store.list(`${root}/nothing-here/`)).toEqual([]);
    });

    it('keeps a key and a longer key beneath it apart', async () => {
      await store.put(`${root}/nested`, bytes('parent'));
      await store.put(`${root}/nested/child`, bytes('child'));

      expect([text(await store.get(`${root}/nested`)), text(await store.get(`${root}/nested/child`))]).toEqual([
        'parent',
        'child',
      ]);
    });

    it('removes the object on delete', async () => {
      await store.put(`${root}/deleted`, bytes('x'));

      await store.delete(`${root}/deleted`);

      expect({ get: await store.get(`${root}/deleted`), listed: await store.list(`${root}/deleted`) }).toEqual({
        get: null,
        listed: [],
      });
    });

    it('resolves when deleting a missing key', async () => {
      await expect(store.delete(`${root}/never-there`)).resolves.toBeUndefined();
    });

    it('refuses a retention date that is not in the future, before any I/O', async () => {
      await expect(
        harness.unavailableStore.put(`${root}/late`, bytes('x'), { retainUntil: new Date('2000-01-01T00:00:00Z') }),
      ).rejects.toBeInstanceOf(RangeError);
    });

    it('answers ping when the backend is up', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe.each(REFUSED_KEYS.map((key) => [key]))('with the refused key %j', (key) => {
      // The unusable store proves no I/O happens: a request would fail as "unavailable" instead.
      it('refuses put before any I/O', async () => {
        await expect(harness.unavailableStore.put(key, bytes('x'))).rejects.toBeInstanceOf(ObjectKeyRejectedError);
      });

      it('refuses get before any I/O', async () => {
        await expect(harness.unavailableStore.get(key)).rejects.toBeInstanceOf(ObjectKeyRejectedError);
      });

      it('refuses head before any I/O', async () => {
        await expect(harness.unavailableStore.head(key)).rejects.toBeInstanceOf(ObjectKeyRejectedError);
      });

      it('refuses delete before any I/O', async () => {
        await expect(harness.unavailableStore.delete(key)).rejects.toBeInstanceOf(ObjectKeyRejectedError);
      });
    });

    it.each(['/exports', '../', 'exports//2026', 'exports/../x', 'with space'])(
      'refuses to list under the prefix %j before any I/O',
      async (prefix) => {
        await expect(harness.unavailableStore.list(prefix)).rejects.toBeInstanceOf(ObjectKeyRejectedError);
      },
    );

    describe('when the backend cannot be used', () => {
      it('fails put with ObjectStoreUnavailableError', async () => {
        await expect(harness.unavailableStore.put('exports/a.csv', bytes('x'))).rejects.toBeInstanceOf(
          ObjectStoreUnavailableError,
        );
      });

      it('fails get with ObjectStoreUnavailableError', async () => {
        await expect(harness.unavailableStore.get('exports/a.csv')).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      });

      it('fails head with ObjectStoreUnavailableError', async () => {
        await expect(harness.unavailableStore.head('exports/a.csv')).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      });

      it('fails delete with ObjectStoreUnavailableError', async () => {
        await expect(harness.unavailableStore.delete('exports/a.csv')).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      });

      it('fails list with ObjectStoreUnavailableError', async () => {
        await expect(harness.unavailableStore.list('exports/')).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      });

      it('fails ping with ObjectStoreUnavailableError', async () => {
        await expect(harness.unavailableStore.ping()).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      });
    });
  });
}
