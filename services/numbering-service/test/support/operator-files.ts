import { constants, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { OperatorPublicKey } from '../../src/index.js';

export interface OperatorKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: OperatorPublicKey;
}

/** A fresh RSA key pair, generated at test time (no key material lives in the repository). */
export function generateOperatorKey(keyId: string, modulusLength = 2048): OperatorKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return { privateKey, publicKey: { keyId, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() } };
}

/** What `openssl dgst -sha256 -sign key.pem file.csv` produces: RSASSA-PKCS1-v1_5 over SHA-256. */
export const signFile = (file: Uint8Array, key: KeyObject): Uint8Array =>
  sign('sha256', file, { key, padding: constants.RSA_PKCS1_PADDING });

export const HEADER = 'number,kind,operator_code,contract_ref,block_ref,pool_ref,tier';

export const csv = (...rows: string[]): Uint8Array => new TextEncoder().encode([HEADER, ...rows].join('\n') + '\n');
