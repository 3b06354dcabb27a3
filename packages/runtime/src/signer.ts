import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createLocalSigner, createVaultTransitSigner } from '@sms/secrets';
import type { Signer } from '@sms/secrets';
import type { RuntimeEnv } from './runtime-env.js';

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The signer of files handed to third parties (the regulator export), chosen like the other adapters:
 * Vault Transit key `keyName` when `VAULT_ADDR` is set (the private key never leaves Vault), otherwise a
 * local Ed25519 key in `<DATA_DIR>/signing/<keyName>.pem`, created (0600) on first use; embedded mode only,
 * never in the repository. The key is read lazily, so building the signer does no I/O.
 */
export function createSigner(env: RuntimeEnv, keyName: string): Signer {
  if (!KEY_NAME.test(keyName)) throw new Error(`signing key name ${JSON.stringify(keyName)} must be 1–64 of A-Z a-z 0-9 . _ - (not starting with . _ -)`);
  if (env.VAULT_ADDR !== undefined) {
    return createVaultTransitSigner({ address: env.VAULT_ADDR, token: env.VAULT_TOKEN ?? '', keyName });
  }
  const file = join(resolve(env.DATA_DIR), 'signing', `${keyName}.pem`);
  let local: Promise<Signer> | undefined;
  const signer = (): Promise<Signer> => {
    if (local === undefined) {
      const pending = localSigningKey(file).then((privateKeyPem) => createLocalSigner({ privateKeyPem }));
      local = pending;
      // A failed read is not cached: the next call tries again.
      void pending.catch(() => {
        if (local === pending) local = undefined;
      });
    }
    return local;
  };
  return {
    sign: async (data) => (await signer()).sign(data),
    verify: async (data, signature) => (await signer()).verify(data, signature),
    publicKeyPem: async () => (await signer()).publicKeyPem(),
  };
}

async function localSigningKey(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // 'wx': if two processes start at once, both end up with the first one's key.
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  });
  await chmod(file, 0o600);
  return readFile(file, 'utf8');
}
