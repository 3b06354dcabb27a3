import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLocalSigner } from '../../src/index.js';
import { describeSignerContract } from '../contract/signer.contract.js';

const pemOf = (pair: { privateKey: { export(o: { type: 'pkcs8'; format: 'pem' }): string | Buffer } }): string =>
  pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const ed25519Pem = () => pemOf(generateKeyPairSync('ed25519'));
const rsaPem = (bits = 2048) => pemOf(generateKeyPairSync('rsa', { modulusLength: bits }));

describeSignerContract('local Ed25519 key', () =>
  Promise.resolve({
    signer: createLocalSigner({ privateKeyPem: ed25519Pem() }),
    otherSigner: createLocalSigner({ privateKeyPem: ed25519Pem() }),
    expectedAlgorithm: 'Ed25519',
    close: () => Promise.resolve(),
  }),
);

describeSignerContract('local RSA key (PSS)', () =>
  Promise.resolve({
    signer: createLocalSigner({ privateKeyPem: rsaPem() }),
    otherSigner: createLocalSigner({ privateKeyPem: rsaPem() }),
    expectedAlgorithm: 'RSA-PSS-SHA256',
    close: () => Promise.resolve(),
  }),
);

describe('local signer', () => {
  it('names its key by the fingerprint of the public key', async () => {
    const privateKeyPem = ed25519Pem();

    const [a, b] = await Promise.all([
      createLocalSigner({ privateKeyPem }).sign(new Uint8Array([1])),
      createLocalSigner({ privateKeyPem }).sign(new Uint8Array([2])),
    ]);

    expect(a.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(b.keyId).toBe(a.keyId);
  });

  it('refuses an RSA key shorter than 2048 bits', () => {
    expect(() => createLocalSigner({ privateKeyPem: rsaPem(1024) })).toThrow(/at least 2048 bits/);
  });

  it('refuses an elliptic-curve key it does not sign with', () => {
    const privateKeyPem = pemOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }));

    expect(() => createLocalSigner({ privateKeyPem })).toThrow(/must be Ed25519 or RSA/);
  });

  it('refuses unreadable PEM without quoting it', () => {
    const garbage = '-----BEGIN PRIVATE KEY-----\nTOP-SECRET-MATERIAL\n-----END PRIVATE KEY-----';

    expect(() => createLocalSigner({ privateKeyPem: garbage })).toThrow('privateKeyPem is not a readable PEM private key');
  });
});
