import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';

export const ISSUER = 'https://idp.test.example/';
export const AUDIENCE = 'sms-platform-test';
/** "Now" of every test: tokens are made relative to it and verifiers read it from a ManualClock. */
export const NOW = new Date('2026-01-01T00:00:00.000Z');
export const nowSec = Math.floor(NOW.getTime() / 1000);

export interface TestKey {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicKeyPem: string;
}

/** A fresh key pair made at test time (no key material lives in the repository). */
export async function testKey(alg: 'EdDSA' | 'RS256' | 'ES256' = 'EdDSA'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, publicKey, publicKeyPem: await exportSPKI(publicKey) };
}

/** The claims of an acceptable token; override or drop (with `undefined`) any of them. */
export function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: nowSec - 10,
    nbf: nowSec - 10,
    exp: nowSec + 3600,
    jti: 'token-1',
    tenant_id: 'acme',
    roles: ['tenant'],
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

export function sign(key: TestKey, payload: JWTPayload = claims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, typ: 'JWT', ...header }).sign(key.privateKey);
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsecured JWT (`alg: none`, empty signature). */
export function unsecuredToken(payload: JWTPayload = claims()): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}
