import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@sms/kernel';
import { createHttpApp } from '@sms/http';
import { createLogger } from '@sms/logging';
import { SignJWT, exportJWK } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthKeysUnavailableError, authenticate, createJwtVerifier } from '@sms/auth';
import type { JwtVerifierOptions } from '@sms/auth';
import { AUDIENCE, ISSUER, NOW, claims, sign, testKey } from '../support/tokens.js';
import type { TestKey } from '../support/tokens.js';

/** A local identity provider's JWKS endpoint whose answer each test sets. */
const idp = { keys: [] as JWK[], status: 200, hits: 0 };
let server: Server;
let jwksUrl: string;
let current: TestKey;

async function publicJwk(key: TestKey, kid: string): Promise<JWK> {
  return { ...(await exportJWK(key.publicKey)), kid, alg: key.alg, use: 'sig' };
}

const signWithKid = (key: TestKey, kid: string) => sign(key, claims(), { kid });

function verifierFor(more: Partial<JwtVerifierOptions> = {}) {
  return createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl, clock: new ManualClock(NOW), ...more });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    idp.hits += 1;
    response.writeHead(idp.status, { 'content-type': 'application/json' });
    response.end(idp.status === 200 ? JSON.stringify({ keys: idp.keys }) : '{"error":"boom"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  current = await testKey('RS256');
});

beforeEach(async () => {
  idp.keys = [await publicJwk(current, 'key-1')];
  idp.status = 200;
  idp.hits = 0;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

describe('createJwtVerifier with a JWKS URL', () => {
  it('verifies a token signed with a key of the JWKS', async () => {
    const result = await verifierFor().verify(await signWithKid(current, 'key-1'));

    expect(result).toMatchObject({ ok: true, value: { subject: 'user-1', tenantId: 'acme' } });
  });

  it('fetches the JWKS once for many tokens', async () => {
    const verifier = verifierFor();
    const token = await signWithKid(current, 'key-1');

    for (let i = 0; i < 5; i += 1) await verifier.verify(token);

    expect(idp.hits).toBe(1);
  });

  it('fetches the JWKS again when a token names a key it has not seen (rotation)', async () => {
    const verifier = verifierFor({ jwksCooldownSec: 0 });
    await verifier.verify(await signWithKid(current, 'key-1'));
    const next = await testKey('ES256');
    idp.keys = [...idp.keys, await publicJwk(next, 'key-2')];

    const result = await verifier.verify(await signWithKid(next, 'key-2'));

    expect(result.ok).toBe(true);
    expect(idp.hits).toBe(2);
  });

  it('refuses a token naming a key the JWKS does not have', async () => {
    const stranger = await testKey('RS256');

    const result = await verifierFor().verify(await signWithKid(stranger, 'key-9'));

    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH.TOKEN_INVALID', message: 'The token is signed with a key this service does not trust.' } });
  });

  it('refuses an HS256 token even when the JWKS publishes a symmetric key for it', async () => {
    const secret = new Uint8Array(32).fill(7);
    idp.keys = [{ kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'shared', alg: 'HS256' }];
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'shared' }).sign(secret);

    const result = await verifierFor().verify(token);

    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH.TOKEN_INVALID' } });
  });

  it('throws AuthKeysUnavailableError when the JWKS endpoint answers an error', async () => {
    idp.status = 500;

    await expect(verifierFor().verify(await signWithKid(current, 'key-1'))).rejects.toBeInstanceOf(AuthKeysUnavailableError);
  });

  it('answers 503 AUTH.KEYS_UNAVAILABLE over HTTP when the JWKS endpoint cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const logger = createLogger({ service: 'auth-test', level: 'fatal' });
    const app = await createHttpApp({ service: 'auth-test', version: '1.0.0', logger });
    app.get('/v1/me', { onRequest: authenticate(verifierFor({ jwksUrl: deadUrl })) }, () => Promise.resolve({ ok: true }));

    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${await signWithKid(current, 'key-1')}` } });

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ code: 'AUTH.KEYS_UNAVAILABLE' });
  });
});
