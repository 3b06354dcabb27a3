import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@sms/config';
import { createSigner, runtimeEnv } from '@sms/runtime';

describe('createSigner in embedded mode (no VAULT_ADDR)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'runtime-signer-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates an Ed25519 key in DATA_DIR/signing on first use (mode 0600) and signs with it', async () => {
    const signer = createSigner(loadConfig(runtimeEnv, { DATA_DIR: dataDir }), 'export-key');
    const data = new TextEncoder().encode('manifest bytes');

    const signature = await signer.sign(data);
    const info = await stat(join(dataDir, 'signing', 'export-key.pem'));

    expect([signature.algorithm, signature.keyId.startsWith('local:'), await signer.verify(data, signature), info.mode & 0o777]).toEqual([
      'Ed25519',
      true,
      true,
      0o600,
    ]);
  });

  it('reuses the stored key: a second signer (a restart) has the same key id and verifies the first one', async () => {
    const env = loadConfig(runtimeEnv, { DATA_DIR: dataDir });
    const data = new TextEncoder().encode('signed before the restart');
    const first = await createSigner(env, 'reused-key').sign(data);
    const pem = await readFile(join(dataDir, 'signing', 'reused-key.pem'), 'utf8');

    const again = createSigner(env, 'reused-key');

    expect([(await again.sign(data)).keyId, await again.verify(data, first), await readFile(join(dataDir, 'signing', 'reused-key.pem'), 'utf8')]).toEqual([
      first.keyId,
      true,
      pem,
    ]);
  });

  it('refuses a key name that is not a plain name (it becomes a file name)', () => {
    expect(() => createSigner(loadConfig(runtimeEnv, { DATA_DIR: dataDir }), '../escape')).toThrow(/signing key name/);
  });
});
