import { constants, createHash, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './signer.port.js';

/** The algorithm a key signs with, or an error naming what is supported. */
export function algorithmForKey(key: KeyObject): SignatureAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return 'Ed25519';
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error(`an RSA signing key needs at least 2048 bits; this one has ${bits}`);
    return 'RSA-PSS-SHA256';
  }
  throw new Error(`signing keys must be Ed25519 or RSA (2048 bits or more); got ${type ?? 'a symmetric key'}`);
}

/** Signs with the scheme {@link SignatureAlgorithm} documents. */
export function signWith(algorithm: SignatureAlgorithm, privateKey: KeyObject, data: Uint8Array): Buffer {
  switch (algorithm) {
    case 'Ed25519':
      return sign(null, data, privateKey);
    case 'RSA-PSS-SHA256':
      return sign('sha256', data, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN,
      });
  }
}

/** Verifies with the scheme {@link SignatureAlgorithm} documents; false for any malformed input. */
export function verifyWith(
  algorithm: SignatureAlgorithm,
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    switch (algorithm) {
      case 'Ed25519':
        return verify(null, data, publicKey, signature);
      case 'RSA-PSS-SHA256':
        return verify(
          'sha256',
          data,
          { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        );
    }
  } catch {
    return false;
  }
}

/** The SPKI PEM text of a public key. */
export function spkiPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** The public half of an Ed25519 key Vault reports as raw base64 (32 bytes). */
export function ed25519PublicKeyFromRaw(rawBase64: string): KeyObject {
  const raw = Buffer.from(rawBase64, 'base64');
  if (raw.length !== 32) throw new Error(`an Ed25519 public key has 32 bytes; got ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** A short, stable fingerprint of a public key: the first 16 hex digits of SHA-256 over its SPKI DER. */
export function publicKeyFingerprint(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard base64, or returns null when the text is not canonical base64. */
export function decodeBase64(text: string): Buffer | null {
  if (typeof text !== 'string' || text.length === 0 || !BASE64.test(text)) return null;
  return Buffer.from(text, 'base64');
}
