/**
 * The one behaviour suite every SecretStore adapter passes. Each adapter's test file calls
 * {@link describeSecretStoreContract} with a harness that builds its stores.
 */
import { uniqueName } from '@sms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretPathRejectedError, SecretStoreUnavailableError } from '../../src/index.js';
import type { SecretStore } from '../../src/index.js';

export interface SecretStoreContractHarness {
  /** A store of the adapter under test, on a healthy backend, confined to `basePath`. */
  storeAt(basePath: string): SecretStore;
  /** A store of the same adapter whose backend is down (closed port, closed pool). */
  unavailableStore(): SecretStore;
  /** Releases whatever the harness opened. */
  close(): Promise<void>;
}

/** Paths that must be refused: escapes, absolute paths, empty segments, odd characters. */
export const REFUSED_PATHS: readonly string[] = [
  '',
  '/etc/passwd',
  '..',
  '../escape',
  'operators/../../admin',
  'operators/./roshan',
  'operators//roshan',
  'operators/',
  '.hidden',
  'with space',
  'percent%2e%2e',
  'back\\slash',
  'query?x=1',
  'fragment#x',
  'ümlaut',
  'nul\u0000byte',
];

export function describeSecretStoreContract(adapter: string, open: () => Promise<SecretStoreContractHarness>): void {
  describe(`SecretStore contract: ${adapter}`, () => {
    let harness: SecretStoreContractHarness;
    let store: SecretStore;
    let basePath: string;

    beforeAll(async () => {
      harness = await open();
      basePath = `contract/${uniqueName('secrets')}`;
      store = harness.storeAt(basePath);
    });

    afterAll(async () => {
      await harness.close();
    });

    it('returns the data that was put', async () => {
      const data = { systemId: 'roshan-smpp', password: `pw-${uniqueName('p')}` };

      await store.put('operators/roshan', data);

      expect(await store.get('operators/roshan')).toEqual(data);
    });

    it('numbers versions from 1 upwards, one per put', async () => {
      const first = await store.put('versions/counted', { value: 'a' });
      const second = await store.put('versions/counted', { value: 'b' });
      const third = await store.put('versions/counted', { value: 'c' });

      expect([first.version, second.version, third.version]).toEqual([1, 2, 3]);
    });

    it('returns the latest version after an overwrite', async () => {
      await store.put('versions/latest', { password: 'old' });
      await store.put('versions/latest', { password: 'new' });

      expect(await store.get('versions/latest')).toEqual({ password: 'new' });
    });

    it('returns null for a path that was never written', async () => {
      expect(await store.get('never/written')).toBeNull();
    });

    it('forgets every version of a deleted secret', async () => {
      await store.put('deleted/secret', { v: '1' });
      await store.put('deleted/secret', { v: '2' });

      await store.delete('deleted/secret');

      expect(await store.get('deleted/secret')).toBeNull();
    });

    it('starts again at version 1 when a deleted path is written', async () => {
      await store.put('deleted/rewritten', { v: '1' });
      await store.put('deleted/rewritten', { v: '2' });
      await store.delete('deleted/rewritten');

      const written = await store.put('deleted/rewritten', { v: 'fresh' });

      expect(written.version).toBe(1);
    });

    it('resolves when deleting a path that does not exist', async () => {
      await expect(store.delete('never/existed')).resolves.toBeUndefined();
    });

    it('keeps a parent path and its child apart', async () => {
      await store.put('nested', { level: 'parent' });
      await store.put('nested/child', { level: 'child' });

      expect(await store.get('nested')).toEqual({ level: 'parent' });
    });

    it('does not let a store on another base path see the secret', async () => {
      await store.put('isolated/secret', { password: 'only-for-this-base' });
      const other = harness.storeAt(`${basePath}-other`);

      expect(await other.get('isolated/secret')).toBeNull();
    });

    it('round-trips unicode, empty and long values', async () => {
      const data = { note: 'سلام 👋 "quoted"\n', empty: '', long: 'x'.repeat(10_000) };

      await store.put('values/odd', data);

      expect(await store.get('values/odd')).toEqual(data);
    });

    it('answers ping when the backend is up', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe.each(REFUSED_PATHS.map((path) => [path]))('with the refused path %j', (path) => {
      // The down store proves no I/O happens: a request would fail as "unavailable" instead.
      it('refuses get before any I/O', async () => {
        await expect(harness.unavailableStore().get(path)).rejects.toBeInstanceOf(SecretPathRejectedError);
      });

      it('refuses put before any I/O', async () => {
        await expect(harness.unavailableStore().put(path, { a: 'b' })).rejects.toBeInstanceOf(SecretPathRejectedError);
      });

      it('refuses delete before any I/O', async () => {
        await expect(harness.unavailableStore().delete(path)).rejects.toBeInstanceOf(SecretPathRejectedError);
      });
    });

    describe('when the backend is down', () => {
      it('fails get with SecretStoreUnavailableError', async () => {
        await expect(harness.unavailableStore().get('operators/roshan')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
      });

      it('fails put with SecretStoreUnavailableError', async () => {
        await expect(harness.unavailableStore().put('operators/roshan', { a: 'b' })).rejects.toBeInstanceOf(
          SecretStoreUnavailableError,
        );
      });

      it('fails delete with SecretStoreUnavailableError', async () => {
        await expect(harness.unavailableStore().delete('operators/roshan')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
      });

      it('fails ping with SecretStoreUnavailableError', async () => {
        await expect(harness.unavailableStore().ping()).rejects.toBeInstanceOf(SecretStoreUnavailableError);
      });
    });
  });
}
