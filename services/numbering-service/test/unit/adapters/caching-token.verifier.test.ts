import { describe, expect, it } from 'vitest';
import type { JwtVerifier, Principal } from '@sms/auth';
import { ManualClock } from '@sms/kernel';
import { cachingVerifier } from '../../../src/adapters/auth/caching-token.verifier.js';

const T = new Date('2026-05-01T10:00:00.000Z');

function countingVerifier(expiresAt: Date): JwtVerifier & { calls: number } {
  const principal = { subject: 's', tenantId: null, roles: [], serviceName: 'svc', scopes: [], issuer: 'i', audience: ['a'], tokenId: null, issuedAt: null, expiresAt, claims: {} } satisfies Principal;
  const verifier = {
    calls: 0,
    issuer: 'i',
    audience: ['a'],
    algorithms: ['EdDSA'],
    verify(token: string) {
      verifier.calls += 1;
      return Promise.resolve(token === 'good' ? { ok: true as const, value: principal } : { ok: false as const, error: { code: 'AUTH.TOKEN_INVALID' as const, message: 'bad' } });
    },
  };
  return verifier;
}

describe('the caching token verifier', () => {
  it('verifies a token once within its cache age', async () => {
    const inner = countingVerifier(new Date(T.getTime() + 3_600_000));
    const verifier = cachingVerifier(inner, { clock: new ManualClock(T) });

    await verifier.verify('good');
    await verifier.verify('good');

    expect(inner.calls).toBe(1);
  });

  it('verifies again after the cache age', async () => {
    const clock = new ManualClock(T);
    const inner = countingVerifier(new Date(T.getTime() + 3_600_000));
    const verifier = cachingVerifier(inner, { clock, maxAgeMs: 1000 });

    await verifier.verify('good');
    clock.advance(1000);
    await verifier.verify('good');

    expect(inner.calls).toBe(2);
  });

  it('never trusts a cached token past its expiry', async () => {
    const clock = new ManualClock(T);
    const inner = countingVerifier(new Date(T.getTime() + 500));
    const verifier = cachingVerifier(inner, { clock, maxAgeMs: 60_000 });

    await verifier.verify('good');
    clock.advance(500);
    await verifier.verify('good');

    expect(inner.calls).toBe(2);
  });

  it('does not cache a refusal', async () => {
    const inner = countingVerifier(new Date(T.getTime() + 3_600_000));
    const verifier = cachingVerifier(inner, { clock: new ManualClock(T) });

    const answers = [await verifier.verify('bad'), await verifier.verify('bad')];

    expect([inner.calls, answers.every((a) => !a.ok)]).toEqual([2, true]);
  });
});
