import { inspect } from 'node:util';
import { uniqueName } from '@sms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVaultSecretStore, SecretStoreUnavailableError } from '../../src/index.js';
import { describeSecretStoreContract } from '../contract/secret-store.contract.js';
import { closedPort } from '../support/closed-port.js';
import { startVaultStub } from '../support/vault-stub.js';
import type { VaultStub } from '../support/vault-stub.js';

describeSecretStoreContract('Vault KV v2 (against the Vault stub)', async () => {
  const stub = await startVaultStub();
  const downAddress = `http://127.0.0.1:${await closedPort()}`;
  return {
    storeAt: (basePath) => createVaultSecretStore({ address: stub.address, token: stub.token, basePath }),
    unavailableStore: () => createVaultSecretStore({ address: downAddress, token: stub.token, basePath: 'ops/operators' }),
    close: () => stub.close(),
  };
});

/** Rejects with whatever `promise` throws, for assertions on the error itself. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('Vault secret store', () => {
  let stub: VaultStub;
  let basePath: string;

  beforeAll(async () => {
    stub = await startVaultStub({ namespace: 'afghanistan/sms', kvMount: 'kv' });
    basePath = `ops/${uniqueName('vault')}`;
  });

  afterAll(async () => {
    await stub.close();
  });

  const storeWith = (overrides: { token?: string; timeoutMs?: number; address?: string } = {}) =>
    createVaultSecretStore({
      address: overrides.address ?? stub.address,
      token: overrides.token ?? stub.token,
      mount: 'kv',
      basePath,
      namespace: 'afghanistan/sms',
      ...(overrides.timeoutMs === undefined ? {} : { timeoutMs: overrides.timeoutMs }),
    });

  it('writes to /v1/<mount>/data/<basePath>/<path> with the token and namespace headers', async () => {
    await storeWith().put('operators/mtn', { password: 'p' });

    const request = stub.requests.at(-1);
    expect({
      method: request?.method,
      url: request?.url,
      token: request?.headers['x-vault-token'],
      namespace: request?.headers['x-vault-namespace'],
      body: JSON.parse(request?.body ?? 'null') as unknown,
    }).toEqual({
      method: 'POST',
      url: `/v1/kv/data/${basePath}/operators/mtn`,
      token: stub.token,
      namespace: 'afghanistan/sms',
      body: { data: { password: 'p' } },
    });
  });

  it('deletes through /v1/<mount>/metadata/<basePath>/<path>, which removes every version', async () => {
    await storeWith().put('operators/awcc', { password: 'p' });

    await storeWith().delete('operators/awcc');

    const request = stub.requests.at(-1);
    expect({ method: request?.method, url: request?.url }).toEqual({
      method: 'DELETE',
      url: `/v1/kv/metadata/${basePath}/operators/awcc`,
    });
  });

  it('returns null when the latest version was soft-deleted by another client', async () => {
    const store = storeWith();
    await store.put('operators/salaam', { password: 'p' });
    await fetch(`${stub.address}/v1/kv/data/${basePath}/operators/salaam`, {
      method: 'DELETE',
      headers: { 'x-vault-token': stub.token, 'x-vault-namespace': 'afghanistan/sms' },
    });

    expect(await store.get('operators/salaam')).toBeNull();
  });

  it('refuses a secret whose fields are not all strings', async () => {
    await fetch(`${stub.address}/v1/kv/data/${basePath}/operators/typed`, {
      method: 'POST',
      headers: { 'x-vault-token': stub.token, 'x-vault-namespace': 'afghanistan/sms', 'content-type': 'application/json' },
      body: JSON.stringify({ data: { port: 2775 } }),
    });

    await expect(storeWith().get('operators/typed')).rejects.toThrow(/field "port" is not a string/);
  });

  it('reports a refused token as unavailable with reason permission-denied', async () => {
    const error = await failure(storeWith({ token: 'hvs.not-the-right-token' }).get('operators/mtn'));

    expect(error).toMatchObject({ name: 'SecretStoreUnavailableError', reason: 'permission-denied' });
  });

  it('keeps a refused token out of the error, its message and its inspection', async () => {
    const token = `hvs.${uniqueName('leak')}`;

    const error = await failure(storeWith({ token }).put('operators/mtn', { password: 'p' }));

    expect(inspect(error, { depth: 10 }) + String(error)).not.toContain(token);
  });

  it('keeps the token out of the error when Vault is unreachable', async () => {
    const token = `hvs.${uniqueName('leak')}`;
    const address = `http://127.0.0.1:${await closedPort()}`;

    const error = await failure(storeWith({ token, address }).get('operators/mtn'));

    expect(inspect(error, { depth: 10 }) + String(error)).not.toContain(token);
  });

  it('gives up after timeoutMs and reports reason timeout', async () => {
    stub.setDelay(1_000);
    try {
      const error = await failure(storeWith({ timeoutMs: 100 }).get('operators/mtn'));

      expect(error).toMatchObject({ name: 'SecretStoreUnavailableError', reason: 'timeout' });
    } finally {
      stub.setDelay(0);
    }
  });

  it('reports a sealed Vault as not ready on get', async () => {
    stub.seal();
    try {
      const error = await failure(storeWith().get('operators/mtn'));

      expect(error).toMatchObject({ name: 'SecretStoreUnavailableError', reason: 'not-ready' });
    } finally {
      stub.unseal();
    }
  });

  it('reports a sealed Vault as not ready on ping', async () => {
    stub.seal();
    try {
      const error = await failure(storeWith().ping());

      expect(error).toMatchObject({ name: 'SecretStoreUnavailableError', reason: 'not-ready' });
    } finally {
      stub.unseal();
    }
  });

  it('pings /v1/sys/health without sending the token', async () => {
    await storeWith().ping();

    const request = stub.requests.at(-1);
    expect({ url: request?.url, token: request?.headers['x-vault-token'] }).toEqual({
      url: '/v1/sys/health?standbyok=true&perfstandbyok=true',
      token: undefined,
    });
  });

  it('reports a Vault that has stopped as unreachable', async () => {
    const doomed = await startVaultStub();
    const store = createVaultSecretStore({ address: doomed.address, token: doomed.token, basePath });
    await store.put('operators/roshan', { password: 'p' });
    await doomed.close();

    const error = await failure(store.get('operators/roshan'));

    expect(error).toBeInstanceOf(SecretStoreUnavailableError);
  });

  it('refuses a base path that escapes, when the store is built', () => {
    expect(() =>
      createVaultSecretStore({ address: stub.address, token: stub.token, basePath: 'ops/../admin' }),
    ).toThrow(/basePath "ops\/..\/admin" is invalid/);
  });
});
