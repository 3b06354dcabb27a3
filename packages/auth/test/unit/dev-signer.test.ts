import { mkdtemp, readFile, rm, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@sms/kernel';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_KEY_FILE, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, createDevSigner, createJwtVerifier, devKeyDir } from '@sms/auth';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-auth-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const embeddedVerifier = (publicKeyPem: string, clock?: ManualClock) =>
  createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem, ...(clock ? { clock } : {}) });

describe('createDevSigner', () => {
  it('creates the private key in <DATA_DIR>/auth readable by its owner only', async () => {
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    const info = await stat(join(dataDir, 'auth', DEV_KEY_FILE));
    expect(signer.keyFile).toBe(join(dataDir, 'auth', DEV_KEY_FILE));
    expect(info.mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'auth'))).mode & 0o777).toBe(0o700);
  });

  it('keeps the key pair it created the first time', async () => {
    const first = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    const second = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    expect(second.publicKeyPem).toBe(first.publicKeyPem);
  });

  it('ends with one key when several processes create it at once', async () => {
    const signers = await Promise.all(Array.from({ length: 5 }, () => createDevSigner({ keyDir: devKeyDir(dataDir) })));

    expect(new Set(signers.map((signer) => signer.publicKeyPem)).size).toBe(1);
  });

  it('tightens a key file left readable by others', async () => {
    await createDevSigner({ keyDir: devKeyDir(dataDir) });
    const file = join(dataDir, 'auth', DEV_KEY_FILE);
    await chmod(file, 0o644);

    await createDevSigner({ keyDir: devKeyDir(dataDir) });

    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file that is not a private key', async () => {
    await mkdir(devKeyDir(dataDir), { recursive: true });
    await writeFile(join(devKeyDir(dataDir), DEV_KEY_FILE), 'not a key', { mode: 0o600 });

    await expect(createDevSigner({ keyDir: devKeyDir(dataDir) })).rejects.toThrow(/not a readable PEM private key/);
  });

  it('mints a token the embedded verifier accepts, with the tenant, roles and service', async () => {
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    const token = await signer.mint({ subject: 'svc-account', tenantId: 'acme', roles: ['tenant'], serviceName: 'numbering-service' });

    const result = await embeddedVerifier(signer.publicKeyPem).verify(token);
    expect(result).toMatchObject({
      ok: true,
      value: { subject: 'svc-account', tenantId: 'acme', roles: ['tenant'], serviceName: 'numbering-service', issuer: EMBEDDED_ISSUER },
    });
  });

  it('names its key in the kid header', async () => {
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    const token = await signer.mint({ subject: 'u' });

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: signer.keyId, typ: 'JWT' });
  });

  it('creates an RS256 key pair when asked', async () => {
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir), algorithm: 'RS256' });

    const token = await signer.mint({ subject: 'u', tenantId: 'acme' });

    expect(signer.algorithm).toBe('RS256');
    expect((await embeddedVerifier(signer.publicKeyPem).verify(token)).ok).toBe(true);
  });

  it('mints tokens that expire after their ttl', async () => {
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir), clock });
    const token = await signer.mint({ subject: 'u', ttlSec: 60 });
    clock.advance(61_000 + 30_000);

    const result = await embeddedVerifier(signer.publicKeyPem, clock).verify(token);

    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH.TOKEN_EXPIRED' } });
  });

  it('publishes its public key as a JWKS entry', async () => {
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    const jwks = await signer.jwks();

    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid: signer.keyId, alg: 'EdDSA', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it.each([
    ['an empty subject', { subject: '' }, /subject/],
    ['a malformed tenant id', { subject: 'u', tenantId: 'a b' }, /tenantId/],
    ['a malformed role', { subject: 'u', roles: ['bad role'] }, /role/],
    ['a ttl beyond a week', { subject: 'u', ttlSec: 8 * 24 * 3600 }, /ttlSec/],
    ['a zero ttl', { subject: 'u', ttlSec: 0 }, /ttlSec/],
  ])('refuses to mint with %s', async (_name, options, message) => {
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    await expect(signer.mint(options)).rejects.toThrow(message);
  });

  it('stores a PKCS#8 private key and exposes only the SPKI public key', async () => {
    const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });

    const pem = await readFile(signer.keyFile, 'utf8');

    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(signer.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});
