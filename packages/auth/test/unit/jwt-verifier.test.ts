import { generateKeyPairSync } from 'node:crypto';
import { ManualClock } from '@sms/kernel';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '@sms/auth';
import type { JwtVerifier, JwtVerifierOptions, TokenFailure } from '@sms/auth';
import { AUDIENCE, ISSUER, NOW, claims, nowSec, sign, testKey, unsecuredToken } from '../support/tokens.js';
import type { TestKey } from '../support/tokens.js';

let key: TestKey;
let verifier: JwtVerifier;

function verifierFor(publicKeyPem: string, more: Partial<JwtVerifierOptions> = {}): JwtVerifier {
  return createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeyPem, clock: new ManualClock(NOW), ...more });
}

/** The failure of a token the verifier must refuse; checks the message never repeats the token. */
async function refusal(token: string, using: JwtVerifier = verifier): Promise<TokenFailure> {
  const result = await using.verify(token);
  if (result.ok) throw new Error('expected the token to be refused');
  if (token !== '') expect(result.error.message).not.toContain(token);
  return result.error;
}

beforeAll(async () => {
  key = await testKey('EdDSA');
  verifier = verifierFor(key.publicKeyPem);
});

describe('createJwtVerifier with a public key', () => {
  it('returns the principal of a valid token', async () => {
    const token = await sign(key, claims({ svc: 'sms-orchestrator', scope: 'sms:send sms:read' }));

    const result = await verifier.verify(token);

    expect(result).toMatchObject({
      ok: true,
      value: {
        subject: 'user-1',
        tenantId: 'acme',
        roles: ['tenant'],
        serviceName: 'sms-orchestrator',
        scopes: ['sms:send', 'sms:read'],
        issuer: ISSUER,
        audience: [AUDIENCE],
        tokenId: 'token-1',
        issuedAt: new Date((nowSec - 10) * 1000),
        expiresAt: new Date((nowSec + 3600) * 1000),
      },
    });
  });

  it('gives a token without tenant or roles claims a null tenant and no roles', async () => {
    const token = await sign(key, claims({ tenant_id: undefined, roles: undefined }));

    const result = await verifier.verify(token);

    expect(result).toMatchObject({ ok: true, value: { tenantId: null, roles: [], serviceName: null } });
  });

  it('reads the tenant and roles from the configured claim names, roles given as a space-separated string', async () => {
    const custom = verifierFor(key.publicKeyPem, { tenantClaim: 'org', rolesClaim: 'https://sms-platform/roles' });
    const token = await sign(key, claims({ org: 'globex', 'https://sms-platform/roles': 'admin compliance admin' }));

    const result = await custom.verify(token);

    expect(result).toMatchObject({ ok: true, value: { tenantId: 'globex', roles: ['admin', 'compliance'] } });
  });

  it.each(['RS256', 'ES256'] as const)('verifies a token signed with an %s key', async (alg) => {
    const other = await testKey(alg);
    const token = await sign(other);

    const result = await verifierFor(other.publicKeyPem).verify(token);

    expect(result.ok).toBe(true);
  });

  it('refuses an expired token', async () => {
    const token = await sign(key, claims({ exp: nowSec - 60 }));

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_EXPIRED' });
  });

  it('accepts a token expired less than the clock tolerance ago', async () => {
    const token = await sign(key, claims({ exp: nowSec - 20 }));

    const result = await verifierFor(key.publicKeyPem, { clockToleranceSec: 30 }).verify(token);

    expect(result.ok).toBe(true);
  });

  it('refuses a token that is not valid yet', async () => {
    const token = await sign(key, claims({ nbf: nowSec + 600, iat: nowSec + 600 }));

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_NOT_YET_VALID' });
  });

  it('refuses a token from another issuer', async () => {
    const token = await sign(key, claims({ iss: 'https://evil.example/' }));

    const failure = await refusal(token);

    expect(failure).toMatchObject({ code: 'AUTH.WRONG_ISSUER' });
    expect(failure.message).not.toContain('evil');
  });

  it('refuses a token for another audience', async () => {
    const token = await sign(key, claims({ aud: 'another-api' }));

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.WRONG_AUDIENCE' });
  });

  it('refuses a token signed with another key', async () => {
    const stranger = await testKey('EdDSA');
    const token = await sign(stranger);

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_INVALID', message: 'The token signature does not verify.' });
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await sign(key)).split('.');
    const forgedPayload = Buffer.from(JSON.stringify(claims({ tenant_id: 'globex' }))).toString('base64url');

    expect(await refusal(`${header}.${forgedPayload}.${signature}`)).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('refuses an unsecured token (alg none)', async () => {
    expect(await refusal(unsecuredToken())).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(key.publicKeyPem));

    expect(await refusal(token)).toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
      message: 'The token is signed with an algorithm this service does not accept.',
    });
  });

  it('refuses a token signed with an algorithm outside the configured allow-list', async () => {
    const rsa = await testKey('RS256');
    const onlyPs256 = verifierFor(rsa.publicKeyPem, { algorithms: ['PS256'] });

    expect(await refusal(await sign(rsa), onlyPs256)).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('refuses a token without an expiry', async () => {
    const token = await sign(key, claims({ exp: undefined }));

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('refuses a token without a subject', async () => {
    const token = await sign(key, claims({ sub: undefined }));

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('refuses a token whose tenant claim is not a valid tenant id', async () => {
    const token = await sign(key, claims({ tenant_id: "acme'; DROP TABLE x;--" }));

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_INVALID', message: "The token's tenant_id claim is not a valid tenant id." });
  });

  it('refuses a token whose roles claim is not a list of strings', async () => {
    const token = await sign(key, claims({ roles: [1, 2] }));

    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it.each([
    ['not a JWT at all', 'garbage'],
    ['three segments of nonsense', 'a.b.c'],
    ['a huge token', `${'a'.repeat(9000)}.b.c`],
  ])('refuses %s as invalid', async (_name, token) => {
    expect(await refusal(token)).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('reports an empty token as missing', async () => {
    expect(await refusal('')).toMatchObject({ code: 'AUTH.TOKEN_MISSING' });
  });
});

describe('createJwtVerifier configuration', () => {
  it('narrows the allowed algorithms to those the key can verify', () => {
    expect(verifier.algorithms).toEqual(['EdDSA', 'Ed25519']);
  });

  it.each([
    ['both key sources', { jwksUrl: 'https://idp.example/jwks', publicKeyPem: 'x' }, /exactly one of jwksUrl or publicKeyPem/],
    ['no key source', {}, /exactly one of jwksUrl or publicKeyPem/],
    ['an HS256 algorithm', { jwksUrl: 'https://idp.example/jwks', algorithms: ['HS256'] }, /"HS256" is not allowed/],
    ['the none algorithm', { jwksUrl: 'https://idp.example/jwks', algorithms: ['none'] }, /"none" is not allowed/],
    ['a plain-http JWKS URL on a remote host', { jwksUrl: 'http://idp.example/jwks' }, /must use https/],
    ['an unreadable public key', { publicKeyPem: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }, /not a readable PEM public key/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, ...options })).toThrow(message);
  });

  it('refuses a private key given as the public key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const publicKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeyPem })).toThrow(/holds a private key/);
  });

  it('refuses an algorithm list the key cannot verify with', () => {
    expect(() => verifierFor(key.publicKeyPem, { algorithms: ['RS256'] })).toThrow(/verifies none of the allowed algorithms/);
  });
});
