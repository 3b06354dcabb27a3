import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, EXIT_USAGE, createDevSigner, createJwtVerifier, devKeyDir, runTokenCommand } from '@sms/auth';

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'sms-token-'));
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTokenCommand(argv, { env, cwd, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err, last: out.at(-1) ?? '' };
}

describe('runTokenCommand', () => {
  it('prints on its last line a token the embedded verifier accepts for that tenant', async () => {
    const { code, last } = await run(['--tenant', 'acme']);

    const signer = await createDevSigner({ keyDir: devKeyDir(join(cwd, '.data')) });
    const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
    expect(code).toBe(0);
    expect(await verifier.verify(last)).toMatchObject({ ok: true, value: { tenantId: 'acme', roles: ['tenant'], subject: 'dev-acme' } });
  });

  it('explains the headers to send before the token', async () => {
    const { out } = await run(['--tenant', 'acme']);

    expect(out.slice(0, -1)).toEqual(expect.arrayContaining(['  Authorization: Bearer <the token on the last line>', '  X-Tenant-Id: acme']));
  });

  it('prints only the token with --quiet', async () => {
    const { out } = await run(['--tenant', 'acme', '--quiet']);

    expect(out).toHaveLength(1);
  });

  it('uses the key of DATA_DIR, relative to the working folder', async () => {
    const { last } = await run(['--tenant', 'acme'], { DATA_DIR: 'elsewhere' });

    const signer = await createDevSigner({ keyDir: devKeyDir(join(cwd, 'elsewhere')) });
    const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
    expect((await verifier.verify(last)).ok).toBe(true);
  });

  it('grants repeated and comma-separated roles, the subject, the ttl and the service asked for', async () => {
    const { last } = await run(['--tenant', 'acme', '--role', 'admin,commerce', '--role', 'tenant', '--ttl', '120', '--subject', 'alice', '--service', 'portal']);

    const payload = decodeJwt(last);
    expect(payload).toMatchObject({ sub: 'alice', roles: ['admin', 'commerce', 'tenant'], svc: 'portal', tenant_id: 'acme' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);
  });

  it('mints a staff token without a tenant claim with --staff', async () => {
    const { code, out, last } = await run(['--staff', '--role', 'admin,compliance']);

    const signer = await createDevSigner({ keyDir: devKeyDir(join(cwd, '.data')) });
    const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
    expect(code).toBe(0);
    expect(decodeJwt(last)).not.toHaveProperty('tenant_id');
    expect(await verifier.verify(last)).toMatchObject({ ok: true, value: { roles: ['admin', 'compliance'], subject: 'dev-staff-admin-compliance' } });
    expect(out.join('\n')).not.toMatch(/X-Tenant-Id/);
  });

  it('prints the usage and exits 0 with --help', async () => {
    const { code, out } = await run(['--help']);

    expect(code).toBe(0);
    expect(out[0]).toMatch(/^usage: npm run token -- --tenant <id>/);
  });

  it.each([
    ['no --tenant', [], /--tenant is required/],
    ['--staff with --tenant', ['--staff', '--tenant', 'acme', '--role', 'admin'], /exclude each other/],
    ['--staff without a role', ['--staff'], /--staff needs at least one --role/],
    ['--staff with the tenant role', ['--staff', '--role', 'tenant'], /cannot carry the tenant role/],
    ['a tenant with a space', ['--tenant', 'ac me'], /--tenant must be/],
    ['a tenant starting with a dash', ['--tenant=-acme'], /--tenant must be/],
    ['a ttl under a minute', ['--tenant', 'acme', '--ttl', '59'], /--ttl must be/],
    ['a ttl over a week', ['--tenant', 'acme', '--ttl', '604801'], /--ttl must be/],
    ['a ttl that is not a number', ['--tenant', 'acme', '--ttl', '1h'], /--ttl must be/],
    ['a malformed role', ['--tenant', 'acme', '--role', 'a b'], /--role "a b" is not a role name/],
    ['a subject with a space', ['--tenant', 'acme', '--subject', 'a b'], /--subject must be/],
    ['an unknown option', ['--tenant', 'acme', '--tennant', 'x'], /Unknown option '--tennant'/],
    ['a positional argument', ['acme'], /Unexpected argument 'acme'/],
  ])('exits 64 with a clear error for %s', async (_name, argv, message) => {
    const { code, err, out } = await run(argv);

    expect(code).toBe(EXIT_USAGE);
    expect(err[0]).toMatch(message);
    expect(out).toEqual([]);
  });
});
