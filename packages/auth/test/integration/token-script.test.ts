import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, createDevSigner, createJwtVerifier, devKeyDir } from '@sms/auth';

const run = promisify(execFile);
const rootDir = fileURLToPath(new URL('../../../../', import.meta.url));
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-token-script-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function tokenScript(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
    cwd: rootDir,
    env: { ...process.env, DATA_DIR: dataDir },
  });
}

describe('scripts/token.ts', () => {
  it('prints on its last line a token that a verifier configured with the dev key accepts', async () => {
    const { stdout } = await tokenScript(['--tenant', 'acme', '--role', 'tenant']);

    const token = stdout.trimEnd().split('\n').at(-1) ?? '';
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });
    const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
    expect(await verifier.verify(token)).toMatchObject({ ok: true, value: { tenantId: 'acme', roles: ['tenant'] } });
  });

  it('exits 64 and explains the problem on bad usage', async () => {
    const failure = await tokenScript(['--tenant', 'bad tenant']).then(
      () => undefined,
      (error: { code?: number; stderr?: string; stdout?: string }) => error,
    );

    expect(failure?.code).toBe(64);
    expect(failure?.stderr).toContain('--tenant must be');
    expect(failure?.stdout).toBe('');
  });
});
