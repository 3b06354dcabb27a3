/**
 * The one behaviour suite every Signer adapter passes. The public key is checked with node:crypto
 * directly, the way a recipient of a signed file would check it.
 */
import { constants, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signature, SignatureAlgorithm, Signer } from '../../src/index.js';

export interface SignerContractHarness {
  readonly signer: Signer;
  /** A signer of the same adapter with a different key. */
  readonly otherSigner: Signer;
  readonly expectedAlgorithm: SignatureAlgorithm;
  close(): Promise<void>;
}

const document = new TextEncoder().encode('msisdn,status\n93700000001,LEASED\n93700000002,AVAILABLE\n');

function independentlyVerified(publicKeyPem: string, data: Uint8Array, signature: Signature): boolean {
  const key = createPublicKey(publicKeyPem);
  const bytes = Buffer.from(signature.signature, 'base64');
  if (signature.algorithm === 'Ed25519') return verify(null, data, key, bytes);
  return verify(
    'sha256',
    data,
    { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
    bytes,
  );
}

export function describeSignerContract(adapter: string, open: () => Promise<SignerContractHarness>): void {
  describe(`Signer contract: ${adapter}`, () => {
    let harness: SignerContractHarness;

    beforeAll(async () => {
      harness = await open();
    });

    afterAll(async () => {
      await harness.close();
    });

    it('verifies its own signature of the data', async () => {
      const signature = await harness.signer.sign(document);

      expect(await harness.signer.verify(document, signature)).toBe(true);
    });

    it('rejects the signature when one byte of the data changed', async () => {
      const signature = await harness.signer.sign(document);
      const tampered = Uint8Array.from(document);
      tampered[5] = (tampered[5] ?? 0) ^ 0x01;

      expect(await harness.signer.verify(tampered, signature)).toBe(false);
    });

    it('rejects a signature with one byte changed', async () => {
      const signature = await harness.signer.sign(document);
      const bytes = Buffer.from(signature.signature, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;

      expect(await harness.signer.verify(document, { ...signature, signature: bytes.toString('base64') })).toBe(false);
    });

    it('rejects a signature that is not base64', async () => {
      const signature = await harness.signer.sign(document);

      expect(await harness.signer.verify(document, { ...signature, signature: 'not base64 at all!' })).toBe(false);
    });

    it('rejects a signature made with another key', async () => {
      const foreign = await harness.otherSigner.sign(document);

      expect(await harness.signer.verify(document, foreign)).toBe(false);
    });

    it('rejects its own signature bytes presented under another key id', async () => {
      const own = await harness.signer.sign(document);
      const foreign = await harness.otherSigner.sign(document);

      expect(await harness.signer.verify(document, { ...own, keyId: foreign.keyId })).toBe(false);
    });

    it('labels the signature with the algorithm of its key and a key id', async () => {
      const signature = await harness.signer.sign(document);

      expect({ algorithm: signature.algorithm, hasKeyId: signature.keyId.length > 0 }).toEqual({
        algorithm: harness.expectedAlgorithm,
        hasKeyId: true,
      });
    });

    it('publishes a public key with which node:crypto verifies the signature', async () => {
      const signature = await harness.signer.sign(document);
      const pem = await harness.signer.publicKeyPem();

      expect(independentlyVerified(pem, document, signature)).toBe(true);
    });

    it('publishes a public key that does not verify another key’s signature', async () => {
      const foreign = await harness.otherSigner.sign(document);
      const pem = await harness.signer.publicKeyPem();

      expect(independentlyVerified(pem, document, foreign)).toBe(false);
    });
  });
}
