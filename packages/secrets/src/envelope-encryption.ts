import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SecretIntegrityError } from './secret-store.port.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** One secret version at rest: its data key wrapped by the master key, and the data under that data key. */
export interface SealedSecret {
  /** Which master key wrapped the data key (a fingerprint, not the key). */
  readonly masterKeyId: string;
  readonly keyIv: Buffer;
  readonly wrappedKey: Buffer;
  readonly keyTag: Buffer;
  readonly dataIv: Buffer;
  readonly ciphertext: Buffer;
  readonly dataTag: Buffer;
}

/** What a sealed secret is bound to: a copy under another path or version fails to open. */
export interface SealContext {
  readonly path: string;
  readonly version: number;
}

/**
 * Parses the master key from configuration (`SECRETS_MASTER_KEY`): exactly 32 bytes, base64.
 * The message of the error never contains the value.
 */
export function parseMasterKey(value: string | Uint8Array, name = 'SECRETS_MASTER_KEY'): Buffer {
  const hint = `${name} must be 32 random bytes encoded in base64 (44 characters; generate one with \`openssl rand -base64 32\`)`;
  if (value instanceof Uint8Array) {
    if (value.length !== KEY_BYTES) throw new Error(`${hint}; the key given has ${value.length} bytes`);
    return Buffer.from(value);
  }
  if (typeof value !== 'string' || value.trim().length === 0) throw new Error(`${hint}; it is empty`);
  const text = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new Error(`${hint}; it is not valid base64`);
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${hint}; it decodes to ${key.length} bytes`);
  return key;
}

/** A stable fingerprint of the master key, stored with each row so a wrong key is named as such. */
export function masterKeyIdOf(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('sms-secrets master key id v1').digest('hex').slice(0, 16);
}

/** Encrypts `plaintext` under a fresh data key, and the data key under the master key (AES-256-GCM both). */
export function sealSecret(masterKey: Buffer, plaintext: Uint8Array, context: SealContext): SealedSecret {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const key = encrypt(masterKey, dataKey, aad('data-key', context));
    const data = encrypt(dataKey, plaintext, aad('data', context));
    return {
      masterKeyId: masterKeyIdOf(masterKey),
      keyIv: key.iv,
      wrappedKey: key.ciphertext,
      keyTag: key.tag,
      dataIv: data.iv,
      ciphertext: data.ciphertext,
      dataTag: data.tag,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts a sealed secret; throws {@link SecretIntegrityError} when any part fails authentication. */
export function openSecret(masterKey: Buffer, sealed: SealedSecret, context: SealContext): Buffer {
  const where = `${context.path} (version ${context.version})`;
  const configuredId = masterKeyIdOf(masterKey);
  if (sealed.masterKeyId !== configuredId) {
    throw new SecretIntegrityError(
      `secret ${where} was written under master key ${sealed.masterKeyId}, but the configured key is ${configuredId}`,
    );
  }
  let dataKey: Buffer;
  try {
    dataKey = decrypt(masterKey, sealed.keyIv, sealed.wrappedKey, sealed.keyTag, aad('data-key', context));
  } catch (error) {
    throw new SecretIntegrityError(`the data key of secret ${where} failed authentication: the row was altered or moved`, {
      cause: error,
    });
  }
  try {
    return decrypt(dataKey, sealed.dataIv, sealed.ciphertext, sealed.dataTag, aad('data', context));
  } catch (error) {
    throw new SecretIntegrityError(`secret ${where} failed authentication: the row was altered or moved`, { cause: error });
  } finally {
    dataKey.fill(0);
  }
}

function aad(purpose: 'data-key' | 'data', context: SealContext): Buffer {
  // A JSON array has no delimiter ambiguity: ("a/b", 1) and ("a", "b/1") cannot collide.
  return Buffer.from(JSON.stringify(['sms-secrets', 1, purpose, context.path, context.version]), 'utf8');
}

function encrypt(key: Buffer, plaintext: Uint8Array, additionalData: Buffer): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, additionalData: Buffer): Buffer {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('bad IV or tag length');
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
