import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  algorithmForKey,
  decodeBase64,
  publicKeyFingerprint,
  signWith,
  spkiPem,
  verifyWith,
} from './signature-algorithms.js';
import type { Signer } from './signer.port.js';

export interface LocalSignerOptions {
  /** An Ed25519 or RSA (≥ 2048 bits) private key, PKCS#8 or PKCS#1 PEM. */
  readonly privateKeyPem: string;
}

/**
 * A {@link Signer} holding its private key in process memory, for embedded mode. Ed25519 keys sign
 * `Ed25519`, RSA keys `RSA-PSS-SHA256`. The key id is `local:<fingerprint of the public key>`.
 */
export function createLocalSigner(options: LocalSignerOptions): Signer {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: options.privateKeyPem, format: 'pem' });
  } catch {
    // The parser's message could quote the input; the key itself must not reach a log.
    throw new Error('privateKeyPem is not a readable PEM private key');
  }
  const algorithm = algorithmForKey(privateKey);
  const publicKey = createPublicKey(privateKey);
  const keyId = `local:${publicKeyFingerprint(publicKey)}`;
  const pem = spkiPem(publicKey);

  return {
    sign(data) {
      return Promise.resolve({ keyId, algorithm, signature: signWith(algorithm, privateKey, data).toString('base64') });
    },

    verify(data, signature) {
      if (signature.keyId !== keyId || signature.algorithm !== algorithm) return Promise.resolve(false);
      const bytes = decodeBase64(signature.signature);
      return Promise.resolve(bytes !== null && verifyWith(algorithm, publicKey, data, bytes));
    },

    publicKeyPem() {
      return Promise.resolve(pem);
    },
  };
}
