import { describe, expect, it } from 'vitest';
import type { Principal } from '@sms/auth';
import { actorFor } from '../../../src/adapters/auth/actor-of-principal.js';

const principal = (overrides: Partial<Principal>): Principal => ({
  subject: 'user-1',
  tenantId: null,
  roles: [],
  serviceName: null,
  scopes: [],
  issuer: 'iss',
  audience: ['aud'],
  tokenId: null,
  issuedAt: null,
  expiresAt: new Date('2030-01-01T00:00:00.000Z'),
  claims: {},
  ...overrides,
});

describe('the actor a verified token acts as', () => {
  it('is a tenant actor of the token tenant for a tenant role', () => {
    expect(actorFor(principal({ tenantId: 'acme', roles: ['tenant'] }), 'number.reserve')).toEqual({
      ok: true,
      value: { role: 'tenant', id: 'user-1', tenantId: 'acme' },
    });
  });

  it('picks the role that grants the permission among several', () => {
    expect(actorFor(principal({ roles: ['auditor', 'compliance'] }), 'number.recall')).toMatchObject({ ok: true, value: { role: 'compliance' } });
  });

  it('keeps the first role when none grants the permission, so the use case names the refusal', () => {
    expect(actorFor(principal({ roles: ['auditor'] }), 'number.recall')).toMatchObject({ ok: true, value: { role: 'auditor' } });
  });

  it('treats a service identity without a numbering role as the service role', () => {
    expect(actorFor(principal({ serviceName: 'sms-orchestrator' }), 'lease.validate')).toMatchObject({ ok: true, value: { role: 'service' } });
  });

  it('does not let a token with a tenant claim act as staff', () => {
    expect(actorFor(principal({ tenantId: 'acme', roles: ['admin'] }), 'number.recall')).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });

  it('does not let a token without a tenant claim act as a tenant', () => {
    expect(actorFor(principal({ roles: ['tenant'] }), 'number.reserve')).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });

  it('never lets a token act as the in-process system role, with or without a service identity', () => {
    expect(actorFor(principal({ roles: ['system'] }), 'number.recall')).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
    expect(actorFor(principal({ roles: ['system'], serviceName: 'x' }), 'number.recall')).toMatchObject({ ok: true, value: { role: 'service' } });
  });

  it('refuses a token with no numbering role', () => {
    expect(actorFor(principal({ roles: ['billing'] }), 'number.lookup')).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});
