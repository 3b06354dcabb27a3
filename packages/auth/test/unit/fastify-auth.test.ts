import { ManualClock, problemTypeFor } from '@sms/kernel';
import { createHttpApp, openApiDocumentOf } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { createLogger } from '@sms/logging';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authProblemResponses, authenticate, createJwtVerifier, principalOf, requireRole } from '@sms/auth';
import type { JwtVerifier } from '@sms/auth';
import { AUDIENCE, ISSUER, NOW, claims, nowSec, sign, testKey } from '../support/tokens.js';
import type { TestKey } from '../support/tokens.js';

let key: TestKey;
let verifier: JwtVerifier;
let validToken: string;

beforeAll(async () => {
  key = await testKey('EdDSA');
  verifier = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeyPem: key.publicKeyPem, clock: new ManualClock(NOW) });
  validToken = await sign(key);
});

async function appWithRoutes(logLines: string[] = []): Promise<HttpApp> {
  const logger = createLogger({ service: 'auth-test', level: 'info', destination: { write: (line: string) => logLines.push(line) } });
  const app = await createHttpApp({ service: 'auth-test', version: '1.0.0', logger });
  app.get('/v1/me', { onRequest: authenticate(verifier) }, (request) => {
    const principal = principalOf(request);
    return Promise.resolve({ subject: principal.subject, tenant: principal.tenantId });
  });
  app.get(
    '/v1/sms/:id',
    {
      onRequest: authenticate(verifier, { requireTenantHeader: true }),
      schema: { params: z.object({ id: z.string() }), response: { 200: z.object({ id: z.string(), tenant: z.string() }), ...authProblemResponses({ tenantHeader: true }) } },
    },
    (request) => Promise.resolve({ id: request.params.id, tenant: principalOf(request).tenantId ?? '' }),
  );
  app.get('/v1/admin/pools', { preHandler: [authenticate(verifier), requireRole('admin', 'commerce')] }, () =>
    Promise.resolve({ pools: [] }),
  );
  app.get('/v1/unwired', { preHandler: requireRole('admin') }, () => Promise.resolve({ ok: true }));
  return app;
}

function problemOf(response: { headers: Record<string, unknown>; body: string }): Record<string, unknown> {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(response.body) as Record<string, unknown>;
}

describe('authenticate', () => {
  it('lets a valid token through and exposes the principal to the handler', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${validToken}` } });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'user-1', tenant: 'acme' });
  });

  it('answers 401 AUTH.TOKEN_MISSING with a Bearer challenge when there is no Authorization header', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/me' });

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="sms-platform"');
    expect(problemOf(response)).toMatchObject({ type: problemTypeFor('AUTH.TOKEN_MISSING'), code: 'AUTH.TOKEN_MISSING', status: 401 });
  });

  it('answers 401 AUTH.TOKEN_MISSING to another authentication scheme', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });

    expect(response.statusCode).toBe(401);
    expect(problemOf(response).code).toBe('AUTH.TOKEN_MISSING');
  });

  it.each([
    ['a bearer scheme without a token', 'Bearer'],
    ['a token with characters outside base64url', 'Bearer abc def!'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ])('answers 401 AUTH.TOKEN_INVALID to %s', async (_name, authorization) => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } });

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="sms-platform", error="invalid_token"');
    expect(problemOf(response).code).toBe('AUTH.TOKEN_INVALID');
  });

  it('answers 401 AUTH.TOKEN_EXPIRED to an expired token', async () => {
    const app = await appWithRoutes();
    const expired = await sign(key, claims({ exp: nowSec - 3600 }));

    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${expired}` } });

    expect(response.statusCode).toBe(401);
    expect(problemOf(response).code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('never puts the token in the answer or the log', async () => {
    const lines: string[] = [];
    const app = await appWithRoutes(lines);
    const wrongAudience = await sign(key, claims({ aud: 'elsewhere' }));

    const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${wrongAudience}` } });

    expect(problemOf(response).code).toBe('AUTH.WRONG_AUDIENCE');
    expect(response.body).not.toContain(wrongAudience);
    expect(lines.join('\n')).toContain('AUTH.WRONG_AUDIENCE');
    expect(lines.join('\n')).not.toContain(wrongAudience.split('.')[2]);
  });
});

describe('authenticate with requireTenantHeader', () => {
  it('lets a token through when X-Tenant-Id equals its tenant', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'GET',
      url: '/v1/sms/m-1',
      headers: { authorization: `Bearer ${validToken}`, 'x-tenant-id': 'acme' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 'm-1', tenant: 'acme' });
  });

  it('answers 403 AUTH.TENANT_MISMATCH when X-Tenant-Id names another tenant', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'GET',
      url: '/v1/sms/m-1',
      headers: { authorization: `Bearer ${validToken}`, 'x-tenant-id': 'globex' },
    });

    expect(response.statusCode).toBe(403);
    expect(problemOf(response)).toMatchObject({
      type: problemTypeFor('AUTH.TENANT_MISMATCH'),
      code: 'AUTH.TENANT_MISMATCH',
      detail: 'X-Tenant-Id does not match the tenant of the token.',
    });
  });

  it('answers 403 AUTH.TENANT_MISMATCH to a token that carries no tenant', async () => {
    const app = await appWithRoutes();
    const staffToken = await sign(key, claims({ tenant_id: undefined, roles: ['admin'] }));

    const response = await app.inject({
      method: 'GET',
      url: '/v1/sms/m-1',
      headers: { authorization: `Bearer ${staffToken}`, 'x-tenant-id': 'acme' },
    });

    expect(response.statusCode).toBe(403);
    expect(problemOf(response).code).toBe('AUTH.TENANT_MISMATCH');
  });

  it('answers 400 AUTH.TENANT_HEADER_MISSING when X-Tenant-Id is absent', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/sms/m-1', headers: { authorization: `Bearer ${validToken}` } });

    expect(response.statusCode).toBe(400);
    expect(problemOf(response).code).toBe('AUTH.TENANT_HEADER_MISSING');
  });

  it('checks the token before the tenant header', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/sms/m-1', headers: { 'x-tenant-id': 'acme' } });

    expect(response.statusCode).toBe(401);
  });
});

describe('requireRole', () => {
  it('lets through a caller holding one of the required roles', async () => {
    const app = await appWithRoutes();
    const commerce = await sign(key, claims({ roles: ['commerce'] }));

    const response = await app.inject({ method: 'GET', url: '/v1/admin/pools', headers: { authorization: `Bearer ${commerce}` } });

    expect(response.statusCode).toBe(200);
  });

  it('answers 403 AUTH.FORBIDDEN naming the required roles to a caller holding none of them', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/admin/pools', headers: { authorization: `Bearer ${validToken}` } });

    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="sms-platform", error="insufficient_scope"');
    expect(problemOf(response)).toMatchObject({
      code: 'AUTH.FORBIDDEN',
      detail: 'This operation requires one of the roles admin, commerce.',
      required_roles: ['admin', 'commerce'],
    });
  });

  it('fails with 500 on a route where authenticate did not run', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/unwired', headers: { authorization: `Bearer ${validToken}` } });

    expect(response.statusCode).toBe(500);
  });

  it('refuses to be created without a role', () => {
    expect(() => requireRole()).toThrow(/at least one role/);
  });
});

describe('authProblemResponses', () => {
  it('documents the 400, 401 and 403 problems of a tenant-scoped route in the OpenAPI document', async () => {
    const app = await appWithRoutes();

    const document = await openApiDocumentOf(app);

    const responses = document.paths?.['/v1/sms/{id}']?.get?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403']);
    expect(responses['401']).toMatchObject({ content: { 'application/problem+json': { schema: expect.any(Object) as unknown } } });
  });
});
