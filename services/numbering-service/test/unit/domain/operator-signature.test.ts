import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, usableOperatorKey, verifyOperatorSignature } from '../../../src/index.js';
import { csv, generateOperatorKey, signFile } from '../../support/operator-files.js';
import type { OperatorKeyPair } from '../../support/operator-files.js';

describe('operator file signatures', () => {
  let current: OperatorKeyPair;
  let next: OperatorKeyPair;
  const file = csv('93701234567,msisdn,ROSHAN,CTR-1,BLK-070,general,');

  beforeAll(() => {
    current = generateOperatorKey('roshan-2026');
    next = generateOperatorKey('roshan-2027');
  });

  it('verifies a file signed with the operator key and names the key', () => {
    expect(verifyOperatorSignature(file, signFile(file, current.privateKey), [current.publicKey])).toEqual({ verified: true, keyId: 'roshan-2026' });
  });

  it('verifies with any key of the operator during a rotation', () => {
    expect(verifyOperatorSignature(file, signFile(file, next.privateKey), [current.publicKey, next.publicKey])).toEqual({
      verified: true,
      keyId: 'roshan-2027',
    });
  });

  it('refuses a signature made with another key', () => {
    expect(verifyOperatorSignature(file, signFile(file, next.privateKey), [current.publicKey])).toEqual({ verified: false });
  });

  it('refuses a file changed by one byte after signing', () => {
    const signature = signFile(file, current.privateKey);
    const changed = Uint8Array.from(file);
    changed[changed.length - 2] = 0x31;

    expect(verifyOperatorSignature(changed, signature, [current.publicKey])).toEqual({ verified: false });
  });

  it('refuses an empty signature', () => {
    expect(verifyOperatorSignature(file, new Uint8Array(), [current.publicKey])).toEqual({ verified: false });
  });

  it('refuses a truncated signature', () => {
    expect(verifyOperatorSignature(file, signFile(file, current.privateKey).slice(0, 100), [current.publicKey])).toEqual({ verified: false });
  });

  it('refuses when the operator has no usable key', () => {
    expect(verifyOperatorSignature(file, signFile(file, current.privateKey), [{ keyId: 'junk', publicKeyPem: 'not a key' }])).toEqual({
      verified: false,
    });
  });

  it('does not accept an RSA key shorter than 2048 bits', () => {
    const weak = generateOperatorKey('weak', 1024);

    expect(verifyOperatorSignature(file, signFile(file, weak.privateKey), [weak.publicKey])).toEqual({ verified: false });
  });

  it('does not accept a key that is not RSA', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

    expect(usableOperatorKey(ec)).toBeNull();
  });

  it('hashes a file with SHA-256', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
