import { uniqueName } from '@sms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVaultTransitSigner, SignerUnavailableError } from '../../src/index.js';
import { describeSignerContract } from '../contract/signer.contract.js';
import { closedPort } from '../support/closed-port.js';
import { startVaultStub } from '../support/vault-stub.js';
import type { VaultStub } from '../support/vault-stub.js';

describeSignerContract('Vault Transit ed25519 key (against the Vault stub)', async () => {
  const stub = await startVaultStub({ transitKeys: { 'atra-export': 'ed25519', other: 'ed25519' } });
  const signerFor = (keyName: string) => createVaultTransitSigner({ address: stub.address, token: stub.token, keyName });
  return {
    signer: signerFor('atra-export'),
    otherSigner: signerFor('other'),
    expectedAlgorithm: 'Ed25519',
    close: () => stub.close(),
  };
});

describeSignerContract('Vault Transit rsa-2048 key (against the Vault stub)', async () => {
  const stub = await startVaultStub({ transitKeys: { 'atra-export': 'rsa-2048', other: 'rsa-2048' } });
  const signerFor = (keyName: string) => createVaultTransitSigner({ address: stub.address, token: stub.token, keyName });
  return {
    signer: signerFor('atra-export'),
    otherSigner: signerFor('other'),
    expectedAlgorithm: 'RSA-PSS-SHA256',
    close: () => stub.close(),
  };
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('Vault Transit signer', () => {
  const data = new TextEncoder().encode('regulator export 2026-01');
  let stub: VaultStub;

  beforeAll(async () => {
    stub = await startVaultStub({ transitKeys: { rotating: 'ed25519', signing: 'rsa-2048' }, transitMount: 'pki-transit' });
  });

  afterAll(async () => {
    await stub.close();
  });

  const signerFor = (keyName: string, token = stub.token) =>
    createVaultTransitSigner({ address: stub.address, token, keyName, mount: 'pki-transit' });

  it('posts base64 input to /v1/<mount>/sign/<key> and asks RSA keys for PSS over SHA-256', async () => {
    await signerFor('signing').sign(data);

    const request = stub.requests.at(-1);
    expect({ url: request?.url, body: JSON.parse(request?.body ?? 'null') as unknown }).toEqual({
      url: '/v1/pki-transit/sign/signing',
      body: { input: Buffer.from(data).toString('base64'), hash_algorithm: 'sha2-256', signature_algorithm: 'pss' },
    });
  });

  it('turns vault:v<N>:<base64> into key id <key>:v<N> and plain base64', async () => {
    const signature = await signerFor('rotating').sign(data);

    expect(signature.keyId).toBe('rotating:v1');
    expect(Buffer.from(signature.signature, 'base64').length).toBe(64);
  });

  it('still verifies a signature made before the key was rotated', async () => {
    const rotating = signerFor('rotating');
    const before = await rotating.sign(data);
    stub.rotateKey('rotating');

    const after = await rotating.sign(data);

    expect({ afterKeyId: after.keyId, beforeValid: await rotating.verify(data, before) }).toEqual({
      afterKeyId: 'rotating:v2',
      beforeValid: true,
    });
  });

  it('rejects a signature whose key id names a version the key never had', async () => {
    const signature = await signerFor('signing').sign(data);

    expect(await signerFor('signing').verify(data, { ...signature, keyId: 'signing:v99' })).toBe(false);
  });

  it('reports an unknown key by name', async () => {
    await expect(signerFor('missing').sign(data)).rejects.toThrow(/Transit key pki-transit\/missing: no such key/);
  });

  it('reports a refused token as unavailable without repeating it', async () => {
    const token = `hvs.${uniqueName('leak')}`;

    const error = await failure(signerFor('signing', token).sign(data));

    expect(error).toMatchObject({ name: 'SignerUnavailableError', reason: 'permission-denied' });
    expect(String(error)).not.toContain(token);
  });

  it('reports an unreachable Vault as unavailable', async () => {
    const signer = createVaultTransitSigner({
      address: `http://127.0.0.1:${await closedPort()}`,
      token: stub.token,
      keyName: 'signing',
    });

    await expect(signer.sign(data)).rejects.toBeInstanceOf(SignerUnavailableError);
  });
});
