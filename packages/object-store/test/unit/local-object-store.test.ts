import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@sms/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalObjectStore, ObjectAlreadyExistsError, ObjectRetainedError } from '../../src/index.js';
import type { ObjectStore } from '../../src/index.js';
import { describeObjectStoreContract } from '../contract/object-store.contract.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const DAY = 24 * 3600 * 1000;

describeObjectStoreContract('local folder', async () => {
  const rootDir = await mkdtemp(join(tmpdir(), 'sms-objects-'));
  // A regular file where the folder should be: every operation fails with ENOTDIR.
  const blocker = join(rootDir, 'not-a-folder');
  await writeFile(blocker, 'x');
  return {
    store: createLocalObjectStore({ rootDir: join(rootDir, 'store') }),
    unavailableStore: createLocalObjectStore({ rootDir: join(blocker, 'store') }),
    close: () => rm(rootDir, { recursive: true, force: true }),
  };
});

describe('local object store', () => {
  let rootDir: string;
  let clock: ManualClock;
  let store: ObjectStore;

  beforeAll(async () => {
    rootDir = await mkdtemp(join(tmpdir(), 'sms-objects-'));
    clock = new ManualClock('2026-02-01T00:00:00Z');
    store = createLocalObjectStore({ rootDir, clock });
  });

  afterAll(async () => {
    await rm(rootDir, { recursive: true, force: true });
  });

  describe('retention', () => {
    const retainUntil = () => new Date(clock.now().getTime() + 30 * DAY);

    it('refuses to overwrite an object before its retention ends', async () => {
      const until = retainUntil();
      await store.put('exports/overwrite.csv', bytes('v1'), { retainUntil: until });
      clock.advance(29 * DAY);

      await expect(store.put('exports/overwrite.csv', bytes('v2'))).rejects.toEqual(
        new ObjectRetainedError('exports/overwrite.csv', until),
      );
    });

    it('keeps the retained bytes after a refused overwrite', async () => {
      await store.put('exports/kept.csv', bytes('original'), { retainUntil: retainUntil() });
      await store.put('exports/kept.csv', bytes('forged')).catch(() => undefined);

      expect(new TextDecoder().decode((await store.get('exports/kept.csv')) ?? new Uint8Array())).toBe('original');
    });

    it('refuses to delete an object before its retention ends', async () => {
      await store.put('exports/delete.csv', bytes('v1'), { retainUntil: retainUntil() });

      await expect(store.delete('exports/delete.csv')).rejects.toBeInstanceOf(ObjectRetainedError);
    });

    it('allows an overwrite once the clock reaches retainUntil', async () => {
      await store.put('exports/expired-overwrite.csv', bytes('v1'), { retainUntil: retainUntil() });
      clock.advance(30 * DAY);

      await store.put('exports/expired-overwrite.csv', bytes('v2'));

      expect(new TextDecoder().decode((await store.get('exports/expired-overwrite.csv')) ?? new Uint8Array())).toBe('v2');
    });

    it('allows a delete once the clock passes retainUntil', async () => {
      await store.put('exports/expired-delete.csv', bytes('v1'), { retainUntil: retainUntil() });
      clock.advance(31 * DAY);

      await store.delete('exports/expired-delete.csv');

      expect(await store.head('exports/expired-delete.csv')).toBeNull();
    });

    it('reports retainUntil in head', async () => {
      const until = retainUntil();

      await store.put('exports/head.csv', bytes('v1'), { retainUntil: until, contentType: 'text/csv' });

      expect(await store.head('exports/head.csv')).toEqual({ size: 2, contentType: 'text/csv', retainUntil: until });
    });

    it('refuses a retention date that is not after the clock', async () => {
      await expect(store.put('exports/past.csv', bytes('x'), { retainUntil: clock.now() })).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe('files on disk', () => {
    it('keeps one sidecar and one data file per object, with no temporary file left', async () => {
      await store.put('files/tidy.csv', bytes('v1'));
      await store.put('files/tidy.csv', bytes('v2'));
      await store.put('files/tidy.csv', bytes('v3'));

      const names = await readdir(join(rootDir, 'files'));

      expect(names.map((n) => n.replace(/~data-[0-9a-f]+$/, '~data-*')).sort()).toEqual(['tidy.csv~data-*', 'tidy.csv~meta']);
    });

    it('refuses to return bytes that were altered on disk', async () => {
      await store.put('files/altered.csv', bytes('genuine'));
      const dataFile = (await readdir(join(rootDir, 'files'))).find((n) => n.startsWith('altered.csv~data-')) ?? '';
      await writeFile(join(rootDir, 'files', dataFile), 'forged!');

      await expect(store.get('files/altered.csv')).rejects.toThrow(/is corrupt/);
    });

    it('finds its objects again from a new store on the same folder', async () => {
      await store.put('files/durable.csv', bytes('kept'), { contentType: 'text/csv' });

      const reopened = createLocalObjectStore({ rootDir, clock });

      expect(await reopened.head('files/durable.csv')).toEqual({ size: 4, contentType: 'text/csv' });
    });

    it('lets exactly one of many concurrent ifAbsent puts win', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.put('files/race.csv', bytes(`writer ${i}`), { ifAbsent: true })),
      );

      expect({
        won: attempts.filter((a) => a.status === 'fulfilled').length,
        refused: attempts.filter((a) => a.status === 'rejected' && a.reason instanceof ObjectAlreadyExistsError).length,
      }).toEqual({ won: 1, refused: 9 });
    });
  });
});
