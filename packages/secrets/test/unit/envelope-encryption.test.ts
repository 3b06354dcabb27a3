import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, parseMasterKey, sealSecret } from '../../src/envelope-encryption.js';
import { SecretIntegrityError } from '../../src/index.js';

const masterKey = randomBytes(32);
const plaintext = Buffer.from('{"password":"s3cret"}');
const context = { path: 'ops/operators/roshan', version: 1 };

describe('master key from configuration', () => {
  it('accepts 32 bytes in base64', () => {
    const encoded = masterKey.toString('base64');

    expect(parseMasterKey(encoded).equals(masterKey)).toBe(true);
  });

  it('refuses a key of the wrong length, naming the variable and the length', () => {
    expect(() => parseMasterKey(randomBytes(24).toString('base64'))).toThrow(
      /SECRETS_MASTER_KEY must be 32 random bytes .* decodes to 24 bytes/,
    );
  });

  it('refuses text that is not base64', () => {
    expect(() => parseMasterKey('this is not base64 at all, is it?')).toThrow(/not valid base64/);
  });

  it('refuses an empty key', () => {
    expect(() => parseMasterKey('')).toThrow(/it is empty/);
  });

  it('never repeats the refused value in the message', () => {
    const refused = randomBytes(31).toString('base64');

    let message = '';
    try {
      parseMasterKey(refused);
    } catch (error) {
      message = String(error);
    }

    expect({ refused: message.length > 0, quoted: message.includes(refused) }).toEqual({ refused: true, quoted: false });
  });

  it('refuses raw bytes of the wrong length', () => {
    expect(() => parseMasterKey(new Uint8Array(16))).toThrow(/has 16 bytes/);
  });
});

describe('envelope encryption', () => {
  it('opens what it sealed', () => {
    const sealed = sealSecret(masterKey, plaintext, context);

    expect(openSecret(masterKey, sealed, context).equals(plaintext)).toBe(true);
  });

  it('uses a fresh data key and fresh IVs for every seal', () => {
    const first = sealSecret(masterKey, plaintext, context);
    const second = sealSecret(masterKey, plaintext, context);

    expect({
      wrappedKey: first.wrappedKey.equals(second.wrappedKey),
      keyIv: first.keyIv.equals(second.keyIv),
      dataIv: first.dataIv.equals(second.dataIv),
      ciphertext: first.ciphertext.equals(second.ciphertext),
    }).toEqual({ wrappedKey: false, keyIv: false, dataIv: false, ciphertext: false });
  });

  it('stores 12-byte IVs and 16-byte tags', () => {
    const sealed = sealSecret(masterKey, plaintext, context);

    expect([sealed.keyIv.length, sealed.dataIv.length, sealed.keyTag.length, sealed.dataTag.length]).toEqual([12, 12, 16, 16]);
  });

  it('refuses to open under another path', () => {
    const sealed = sealSecret(masterKey, plaintext, context);

    expect(() => openSecret(masterKey, sealed, { ...context, path: 'ops/operators/mtn' })).toThrow(SecretIntegrityError);
  });

  it('refuses to open as another version', () => {
    const sealed = sealSecret(masterKey, plaintext, context);

    expect(() => openSecret(masterKey, sealed, { ...context, version: 2 })).toThrow(SecretIntegrityError);
  });

  it('refuses to open with a data part taken from another seal', () => {
    const sealed = sealSecret(masterKey, plaintext, context);
    const other = sealSecret(masterKey, Buffer.from('{"password":"other"}'), context);

    expect(() => openSecret(masterKey, { ...sealed, ciphertext: other.ciphertext, dataIv: other.dataIv, dataTag: other.dataTag }, context)).toThrow(
      SecretIntegrityError,
    );
  });

  it('refuses to open when the auth tag was altered', () => {
    const sealed = sealSecret(masterKey, plaintext, context);
    const tag = Buffer.from(sealed.dataTag);
    tag[0] = (tag[0] ?? 0) ^ 1;

    expect(() => openSecret(masterKey, { ...sealed, dataTag: tag }, context)).toThrow(SecretIntegrityError);
  });

  it('refuses to open under another master key, saying so', () => {
    const sealed = sealSecret(masterKey, plaintext, context);

    expect(() => openSecret(randomBytes(32), sealed, context)).toThrow(/written under master key/);
  });
});
