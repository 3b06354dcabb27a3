import { describe, expect, it } from 'vitest';
import { SecretStoreUnavailableError } from '@sms/secrets';
import {
  CredentialVault,
  FakeSecretStoreUnavailableError,
  InMemoryCredentialStore,
  connectionSecretPath,
  isSecretStoreUnavailable,
  type OperatorCredentialStore,
} from '../../../src/index.js';
import { errorOf, valueOf } from '../../support/harness.js';

describe('CredentialVault', () => {
  it('keeps each connection’s password under operators/<operatorId>/connections/<connectionId>', async () => {
    const store = new InMemoryCredentialStore();
    valueOf(await new CredentialVault(store).write('op-1', 'c-1', 'pw'));
    expect([connectionSecretPath('op-1', 'c-1'), store.paths()]).toEqual(['operators/op-1/connections/c-1', ['operators/op-1/connections/c-1']]);
  });

  it('answers growing versions and the latest password', async () => {
    const vault = new CredentialVault(new InMemoryCredentialStore());
    const first = valueOf(await vault.write('op-1', 'c-1', 'a'));
    const second = valueOf(await vault.write('op-1', 'c-1', 'b'));
    expect([first.version, second.version, valueOf(await vault.read('op-1', 'c-1'))]).toEqual([1, 2, 'b']);
  });

  it('answers null for a connection without a password', async () => {
    expect(valueOf(await new CredentialVault(new InMemoryCredentialStore()).read('op-1', 'c-1'))).toBeNull();
  });

  it('answers null when the stored secret has no password field', async () => {
    const store = new InMemoryCredentialStore();
    await store.put('operators/op-1/connections/c-1', { other: 'x' });
    expect(valueOf(await new CredentialVault(store).read('op-1', 'c-1'))).toBeNull();
  });

  it('turns the store’s unavailable error into OPS.SECRET_STORE_UNAVAILABLE for every operation', async () => {
    const store = new InMemoryCredentialStore();
    store.down();
    const vault = new CredentialVault(store);
    const codes = [
      errorOf(await vault.write('op-1', 'c-1', 'pw')).code,
      errorOf(await vault.read('op-1', 'c-1')).code,
      errorOf(await vault.remove('op-1', 'c-1')).code,
    ];
    expect(codes).toEqual(['OPS.SECRET_STORE_UNAVAILABLE', 'OPS.SECRET_STORE_UNAVAILABLE', 'OPS.SECRET_STORE_UNAVAILABLE']);
  });

  it('lets any other store failure propagate as a fault', async () => {
    const broken: OperatorCredentialStore = {
      get: () => Promise.reject(new Error('bug')),
      put: () => Promise.reject(new Error('bug')),
      delete: () => Promise.reject(new Error('bug')),
    };
    await expect(new CredentialVault(broken).read('op-1', 'c-1')).rejects.toThrow('bug');
  });

  it('removeAll reports the paths it could not remove, whatever the failure', async () => {
    let calls = 0;
    const flaky: OperatorCredentialStore = {
      get: () => Promise.resolve(null),
      put: () => Promise.resolve({ version: 1 }),
      delete: () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new FakeSecretStoreUnavailableError('down'));
        if (calls === 2) return Promise.reject(new Error('socket hang up'));
        return Promise.resolve();
      },
    };
    const left = await new CredentialVault(flaky).removeAll([
      { operatorId: 'op-1', connectionId: 'a' },
      { operatorId: 'op-1', connectionId: 'b' },
      { operatorId: 'op-1', connectionId: 'c' },
    ]);
    expect(left).toEqual(['operators/op-1/connections/a', 'operators/op-1/connections/b']);
  });

  it('recognises the @sms/secrets unavailable error, and the in-memory store throws one that looks the same', () => {
    const real = new SecretStoreUnavailableError('unreachable', 'get operators/x failed');
    const fake = new FakeSecretStoreUnavailableError('down');
    expect([isSecretStoreUnavailable(real), [fake.name, fake.code]]).toEqual([true, [real.name, real.code]]);
  });

  it('recognises the unavailable error by its code, whatever its class', () => {
    const fromAnotherPackage = Object.assign(new Error('sealed'), { code: 'SECRETS.UNAVAILABLE' });
    expect([isSecretStoreUnavailable(fromAnotherPackage), isSecretStoreUnavailable(new Error('x')), isSecretStoreUnavailable('SECRETS.UNAVAILABLE')]).toEqual([true, false, false]);
  });
});

describe('InMemoryCredentialStore', () => {
  it('refuses a path that leaves its subtree, before anything else', async () => {
    const store = new InMemoryCredentialStore();
    await expect(store.get('../other')).rejects.toThrow(/refused/);
    await expect(store.put('/abs', {})).rejects.toThrow(/refused/);
  });

  it('starts again at version 1 after a delete, like KV v2 metadata delete', async () => {
    const store = new InMemoryCredentialStore();
    await store.put('p', { a: '1' });
    await store.put('p', { a: '2' });
    await store.delete('p');
    expect(await store.put('p', { a: '3' })).toEqual({ version: 1 });
  });

  it('fails exactly one put after the given number of successful ones', async () => {
    const store = new InMemoryCredentialStore();
    store.failPutAfter(1);
    await store.put('a', {});
    await expect(store.put('b', {})).rejects.toMatchObject({ code: 'SECRETS.UNAVAILABLE', name: 'SecretStoreUnavailableError' });
    await expect(store.put('c', {})).resolves.toEqual({ version: 1 });
  });
});
