import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@sms/kernel';
import { startNumberingServiceFixture } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';
import { seedCatalog } from '../support/postgres-world.js';

const ACME = 'tenant-acme';
const UNKNOWN = '+93709999998';
const ROLES = ['admin', 'commerce', 'compliance', 'auditor', 'tenant', 'tenant_viewer', 'service'] as const;
type TestRole = (typeof ROLES)[number];

interface Endpoint {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: Record<string, unknown>;
  /** The roles the permission matrix of docs/domain-model.md lets through, written out by hand. */
  readonly allowed: readonly TestRole[];
}

const staffRead: TestRole[] = ['admin', 'commerce', 'compliance', 'auditor'];
const n = encodeURIComponent(UNKNOWN);

const ENDPOINTS: readonly Endpoint[] = [
  { method: 'GET', url: '/v1/admin/contracts', allowed: staffRead },
  { method: 'POST', url: '/v1/admin/contracts', body: { operatorCode: 'AWCC', reference: 'CTR-AWCC-1', startsAt: '2026-01-01T00:00:00.000Z' }, allowed: ['admin', 'commerce'] },
  { method: 'GET', url: '/v1/admin/blocks', allowed: staffRead },
  {
    method: 'POST',
    url: '/v1/admin/blocks',
    body: { operatorCode: 'ROSHAN', contractReference: 'CTR-ROSHAN-2026', reference: 'BLK-079', kind: 'msisdn', rangeStart: '+93790000000', rangeEnd: '+93790000999' },
    allowed: ['admin', 'commerce'],
  },
  { method: 'GET', url: '/v1/admin/pools', allowed: staffRead },
  { method: 'POST', url: '/v1/admin/pools', body: { reference: 'vanity', name: 'Vanity', kind: 'short_code' }, allowed: ['admin', 'commerce'] },
  { method: 'GET', url: `/v1/admin/tenants/${ACME}/pools`, allowed: staffRead },
  { method: 'POST', url: `/v1/admin/tenants/${ACME}/pools`, body: { name: 'Second', segment: 'smb' }, allowed: ['admin', 'commerce'] },
  { method: 'GET', url: `/v1/admin/tenants/${ACME}/holdings`, allowed: staffRead },
  { method: 'GET', url: '/v1/admin/numbers', allowed: staffRead },
  { method: 'GET', url: `/v1/admin/numbers/${n}`, allowed: staffRead },
  { method: 'POST', url: `/v1/admin/numbers/${n}/reserve`, body: { tenantId: ACME, tenantPoolId: uuidv7() }, allowed: ['admin', 'commerce'] },
  { method: 'POST', url: `/v1/admin/numbers/${n}/assign`, body: { tenantId: ACME, uses: ['otp'] }, allowed: ['admin', 'commerce'] },
  { method: 'POST', url: `/v1/admin/numbers/${n}/release`, body: { tenantId: ACME }, allowed: ['admin', 'commerce'] },
  { method: 'POST', url: `/v1/admin/numbers/${n}/renew`, body: { tenantId: ACME }, allowed: ['admin', 'commerce'] },
  { method: 'POST', url: `/v1/admin/numbers/${n}/recall`, body: { reason: 'regulator_order' }, allowed: ['admin', 'compliance'] },
  { method: 'POST', url: `/v1/admin/numbers/${n}/resolve-recall`, body: { decision: 'quarantine' }, allowed: ['admin', 'compliance'] },
  { method: 'POST', url: `/v1/admin/numbers/${n}/end-quarantine`, allowed: ['admin'] },
  { method: 'POST', url: `/v1/admin/numbers/${n}/retire`, body: { reason: 'administrative' }, allowed: ['admin', 'commerce', 'compliance'] },
  { method: 'POST', url: '/v1/admin/imports', body: { operatorCode: 'ROSHAN', file: Buffer.from('number\n').toString('base64') }, allowed: ['admin', 'commerce'] },
  { method: 'GET', url: '/v1/admin/audit', allowed: ['admin', 'compliance', 'auditor'] },
  { method: 'POST', url: '/v1/admin/audit/verify', body: {}, allowed: ['admin', 'compliance', 'auditor'] },
  { method: 'GET', url: '/v1/tenant/pools', allowed: ['tenant', 'tenant_viewer'] },
  { method: 'GET', url: '/v1/tenant/holdings', allowed: ['tenant', 'tenant_viewer'] },
  { method: 'GET', url: `/v1/tenant/numbers/${n}`, allowed: ['tenant', 'tenant_viewer'] },
  { method: 'POST', url: '/v1/tenant/reservations', body: { number: UNKNOWN, tenantPoolId: uuidv7() }, allowed: ['tenant'] },
  { method: 'POST', url: `/v1/tenant/numbers/${n}/assign`, body: { uses: ['otp'] }, allowed: ['tenant'] },
  { method: 'POST', url: `/v1/tenant/numbers/${n}/release`, allowed: ['tenant'] },
  { method: 'POST', url: `/v1/tenant/numbers/${n}/renew`, body: {}, allowed: ['tenant'] },
];

/** Codes that mean "this role may not call this endpoint" (as opposed to a refusal of the request itself). */
const ROLE_REFUSALS = ['AUTH.FORBIDDEN', 'AUTH.TENANT_MISMATCH', 'NUMBERING.FORBIDDEN'];

describe('REST role matrix: every role against every endpoint', () => {
  let fixture: NumberingServiceFixture;
  const tokens = {} as Record<TestRole, string>;

  beforeAll(async () => {
    fixture = await startNumberingServiceFixture('numbering_roles');
    await seedCatalog(fixture.runtime.useCases, fixture.clock, [ACME]);
    for (const role of ROLES) {
      tokens[role] =
        role === 'tenant' || role === 'tenant_viewer' ? await fixture.auth.tenant(ACME, role) : role === 'service' ? await fixture.auth.service('sms-orchestrator') : await fixture.auth.staff(role);
    }
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  const cases = ENDPOINTS.flatMap((endpoint) => ROLES.map((role) => [`${endpoint.method} ${endpoint.url}`, role, endpoint] as const));

  it.each(cases)('%s as %s is allowed exactly when the matrix grants it', async (_name, role, endpoint) => {
    const response = await fixture.app.inject({
      method: endpoint.method,
      url: endpoint.url,
      headers: { authorization: `Bearer ${tokens[role]}`, 'x-tenant-id': ACME, 'idempotency-key': uuidv7(), 'content-type': 'application/json' },
      ...(endpoint.method === 'POST' ? { payload: JSON.stringify(endpoint.body ?? {}) } : {}),
    });
    const body = response.json<{ code?: string }>();
    const refused = response.statusCode === 401 || (response.statusCode === 403 && ROLE_REFUSALS.includes(body.code ?? ''));

    expect({ status: response.statusCode < 500, refused }).toEqual({ status: true, refused: !endpoint.allowed.includes(role) });
  });

  it('refuses every endpoint without a token', async () => {
    const statuses = await Promise.all(
      ENDPOINTS.map(async (endpoint) => (await fixture.app.inject({ method: endpoint.method, url: endpoint.url, payload: endpoint.body ?? {} })).statusCode),
    );

    expect(new Set(statuses)).toEqual(new Set([401]));
  });
});
