import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypeFor } from '@sms/kernel';
import { eventually, startServiceFixture } from '../support/service-fixture.js';
import type { ServiceFixture } from '../support/service-fixture.js';
import { startHttpFixture } from '../support/http-fixture.js';
import type { HttpFixture } from '../support/http-fixture.js';
import { TENANTS, TREE, actors, createTree } from '../support/tree.js';
import type { Subject } from '../../src/domain/access.js';

const PARTS = 'sms.max_parts_per_message';
const RATE = 'sms.submit_rate_per_second';
const PROBLEM = 'application/problem+json';

/** The REST API end to end: HTTP in (Fastify inject), real PostgreSQL and NATS behind it. */
describe('config-service REST API', () => {
  let service: ServiceFixture;
  let http: HttpFixture;
  let n = 0;

  beforeAll(async () => {
    service = await startServiceFixture('cfg_http');
    http = await startHttpFixture(service.runtime.useCases, { registry: service.registry, metrics: service.runtime.metrics });
    await createTree(service.runtime.useCases.createNode);
  });
  afterAll(async () => {
    await http.close();
    await service.cleanup();
  });

  const call = async (
    subject: Subject | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) => {
    const headers: Record<string, string> = subject === null ? {} : { authorization: `Bearer ${await http.token(subject)}` };
    const response = await http.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    return { status: response.statusCode, type: String(response.headers['content-type']), body: response.json<Record<string, unknown>>() };
  };
  const admin = actors.platformAdmin;
  const enc = encodeURIComponent;
  /** A fresh region per test, so no test depends on another's changes. */
  const region = async (): Promise<string> => {
    n += 1;
    const created = await call(admin, 'POST', '/v1/nodes', { parent: '/GLOBAL', level: 'region', name: `http${n}`, reason: 'arrange' });
    return String(created.body['path']);
  };

  it('refuses a request without a token with 401 problem+json', async () => {
    const answer = await call(null, 'GET', `/v1/resolve?node=${enc(TREE.acme)}`);

    expect([answer.status, answer.type.startsWith(PROBLEM), answer.body['code']]).toEqual([401, true, 'AUTH.TOKEN_MISSING']);
  });

  it('creates a node, sets a value and resolves it with where it came from', async () => {
    const created = await call(admin, 'POST', '/v1/nodes', { parent: '/GLOBAL', level: 'region', name: 'http-create', reason: 'new region' });
    const set = await call(admin, 'PUT', `/v1/nodes/${enc('/GLOBAL/region:http-create')}/values/${PARTS}`, { value: 3, reason: 'regional cap' });
    const resolved = await call(admin, 'GET', `/v1/resolve?node=${enc('/GLOBAL/region:http-create')}&keys=${PARTS}`);

    expect([created.status, created.body['path'], set.status, set.body['version']]).toEqual([201, '/GLOBAL/region:http-create', 200, 2]);
    expect(resolved.body).toMatchObject({
      path: '/GLOBAL/region:http-create',
      values: { [PARTS]: { value: 3, redacted: false, source: { kind: 'node', path: '/GLOBAL/region:http-create' }, lockedAt: null } },
    });
    expect(Object.keys(resolved.body['values'] as object)).toEqual([PARTS]);
  });

  it('resolves a node named by id, by tenant and by encoded path on /v1/nodes/{node}/resolved', async () => {
    const byPath = await call(admin, 'GET', `/v1/nodes/${enc(TREE.acme)}/resolved`);
    const byTenant = await call(admin, 'GET', `/v1/nodes/tenant:${TENANTS.acme}/resolved`);
    const byId = await call(admin, 'GET', `/v1/nodes/${String(byPath.body['nodeId'])}/resolved`);

    expect([byPath.status, byTenant.body['nodeId'], byId.body['path']]).toEqual([200, byPath.body['nodeId'], TREE.acme]);
  });

  it('refuses a value that breaks the key schema with 422, naming the key and the rule', async () => {
    const node = await region();

    const answer = await call(admin, 'PUT', `/v1/nodes/${enc(node)}/values/${PARTS}`, { value: 0, reason: 'too few' });

    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ type: problemTypeFor('CONFIG.VALUE_REJECTED'), code: 'CONFIG.VALUE_REJECTED', key: PARTS, rule: 'minimum' });
  });

  it('refuses to override a key locked above with 409, naming where it is locked', async () => {
    const node = await region();
    const tenant = await call(admin, 'POST', '/v1/nodes', { parent: node, level: 'tenant', name: 'locked', tenantId: `tenant-http-${n}`, reason: 'arrange' });
    await call(admin, 'PUT', `/v1/nodes/${enc(node)}/locks/${PARTS}`, { reason: 'cap for the region' });

    const answer = await call(admin, 'PUT', `/v1/nodes/${enc(String(tenant.body['path']))}/values/${PARTS}`, { value: 2, reason: 'try' });

    expect([answer.status, answer.body['code'], answer.body['lockedAt']]).toEqual([409, 'CONFIG.KEY_LOCKED', node]);
  });

  it('clears a value, after which the node follows its parent again', async () => {
    const node = await region();
    await call(admin, 'PUT', `/v1/nodes/${enc(node)}/values/${RATE}`, { value: 7, reason: 'set' });

    const cleared = await call(admin, 'DELETE', `/v1/nodes/${enc(node)}/values/${RATE}`, { reason: 'unset' });
    const resolved = await call(admin, 'GET', `/v1/resolve?node=${enc(node)}&keys=${RATE}`);

    expect([cleared.status, cleared.body['changed']]).toEqual([200, true]);
    expect(resolved.body['values']).toMatchObject({ [RATE]: { value: 100, source: { kind: 'default' } } });
  });

  it('lists the history and rolls a node back to an earlier version', async () => {
    const node = await region();
    await call(admin, 'PUT', `/v1/nodes/${enc(node)}/values/${PARTS}`, { value: 2, reason: 'first' });
    await call(admin, 'PUT', `/v1/nodes/${enc(node)}/values/${PARTS}`, { value: 9, reason: 'mistake' });

    const rolledBack = await call(admin, 'POST', `/v1/nodes/${enc(node)}/rollback`, { toVersion: 2, reason: 'undo the mistake' });
    const history = await call(admin, 'GET', `/v1/nodes/${enc(node)}/versions?limit=2`);

    expect([rolledBack.status, rolledBack.body['version']]).toEqual([200, 4]);
    expect(history.body['versions']).toMatchObject([
      { version: 4, change: 'node.rolled-back', rolledBackTo: 2, reason: 'undo the mistake', diff: [{ key: PARTS, before: { value: 9 }, after: { value: 2 } }] },
      { version: 3, change: 'value.set', reason: 'mistake' },
    ]);
  });

  it('answers a stale expected version with 409 CONFIG.VERSION_CONFLICT and the current version', async () => {
    const node = await region();

    const answer = await call(admin, 'PUT', `/v1/nodes/${enc(node)}/values/${PARTS}`, { value: 2, reason: 'late', expectedVersion: 7 });

    expect([answer.status, answer.body['code'], answer.body['currentVersion']]).toEqual([409, 'CONFIG.VERSION_CONFLICT', 1]);
  });

  it('moves and deletes a node', async () => {
    const from = await region();
    const to = await region();
    const tenant = await call(admin, 'POST', '/v1/nodes', { parent: from, level: 'tenant', name: 'mover', tenantId: `tenant-mover-${n}`, reason: 'arrange' });

    const moved = await call(admin, 'POST', `/v1/nodes/${String(tenant.body['nodeId'])}/move`, { newParent: to, reason: 'reorganise' });
    const deleted = await call(admin, 'DELETE', `/v1/nodes/${String(tenant.body['nodeId'])}`, { reason: 'offboard' });
    const gone = await call(admin, 'GET', `/v1/nodes/${String(tenant.body['nodeId'])}`);

    expect([moved.status, moved.body['path'], moved.body['fromPath']]).toEqual([200, `${to}/tenant:mover`, `${from}/tenant:mover`]);
    expect([deleted.status, gone.status, gone.body['code']]).toEqual([200, 404, 'CONFIG.NODE_NOT_FOUND']);
  });

  it('reads a node by path with its own overrides and locks', async () => {
    const node = await region();
    await call(admin, 'PUT', `/v1/nodes/${enc(node)}/values/${RATE}`, { value: 42, reason: 'set' });

    const answer = await call(admin, 'GET', `/v1/nodes/by-path?path=${enc(node)}`);

    expect(answer.body).toMatchObject({ path: node, level: 'region', tenantId: null, overrides: { [RATE]: { value: 42, redacted: false } }, locks: [], version: 2 });
  });

  it('defines, lists and deprecates a key', async () => {
    const defined = await call(admin, 'POST', '/v1/keys', {
      key: 'sms.http_test_flag',
      schema: { type: 'boolean', default: false },
      description: 'A flag for the test',
      ownerService: 'sms-orchestrator',
    });
    const deprecated = await call(admin, 'PATCH', '/v1/keys/sms.http_test_flag', { deprecated: true, reason: 'no longer used' });
    const list = await call(admin, 'GET', '/v1/keys');

    expect([defined.status, defined.body['version'], deprecated.body['deprecated'], deprecated.body['version']]).toEqual([201, 1, true, 2]);
    expect((list.body['keys'] as Array<{ key: string }>).map((k) => k.key)).toContain('sms.http_test_flag');
  });

  it('refuses an inconsistent key schema with 400 CONFIG.INVALID_KEY_SCHEMA', async () => {
    const answer = await call(admin, 'POST', '/v1/keys', { key: 'sms.bad_bounds', schema: { type: 'integer', minimum: 5, maximum: 1 } });

    expect([answer.status, answer.body['code']]).toEqual([400, 'CONFIG.INVALID_KEY_SCHEMA']);
  });

  it('creates and removes a custom role, and keeps the system roles immutable', async () => {
    const put = await call(admin, 'PUT', '/v1/roles/http-editor', {
      description: 'edits values',
      tenantAssignable: true,
      grants: [{ actions: ['value.set', 'node.read'], scope: 'own-tenant', keys: 'all' }],
      reason: 'new role',
    });
    const listed = await call(admin, 'GET', '/v1/roles');
    const removed = await call(admin, 'DELETE', '/v1/roles/http-editor', { reason: 'not needed' });
    const system = await call(admin, 'PUT', '/v1/roles/tenant-admin', { tenantAssignable: true, grants: [{ actions: ['node.read'], scope: 'everywhere', keys: 'all' }], reason: 'widen' });

    expect([put.status, put.body['version'], removed.status]).toEqual([200, 1, 200]);
    expect((listed.body['roles'] as Array<{ name: string }>).map((r) => r.name)).toEqual(['http-editor', 'platform-admin', 'read-only', 'service', 'tenant-admin']);
    expect([system.status, system.body['code']]).toEqual([409, 'CONFIG.SYSTEM_ROLE_IMMUTABLE']);
  });

  it('assigns, lists and revokes a role inside a tenant', async () => {
    const body = { assignee: 'user:http-reader', role: 'read-only', tenantId: TENANTS.acme, reason: 'auditor' };

    const assigned = await call(admin, 'POST', '/v1/role-assignments', body);
    const again = await call(admin, 'POST', '/v1/role-assignments', body);
    const listed = await call(actors.acmeAdmin, 'GET', '/v1/role-assignments?assignee=user:http-reader');
    const revoked = await call(admin, 'DELETE', '/v1/role-assignments', body);

    expect([assigned.status, assigned.body['changed'], again.body['changed'], revoked.body['changed']]).toEqual([200, true, false, true]);
    expect(listed.body['assignments']).toMatchObject([{ subjectId: 'user:http-reader', role: 'read-only', tenantId: TENANTS.acme }]);
  });

  it('gives a service identity only the keys it owns when it resolves a tenant', async () => {
    await call(admin, 'POST', '/v1/keys', { key: 'routing.http_failover', schema: { type: 'duration', default: '5s' }, ownerService: 'routing-engine' });

    const answer = await call(actors.orchestrator, 'GET', `/v1/resolve?node=tenant:${TENANTS.acme}`);

    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body['values'] as object).every((k) => k.startsWith('sms.'))).toBe(true);
    expect(Object.keys(answer.body['values'] as object)).toContain(PARTS);
  });

  it('refuses a service identity any change with 404 or 403, never a 2xx', async () => {
    const answer = await call(actors.orchestrator, 'PUT', `/v1/nodes/tenant:${TENANTS.acme}/values/${PARTS}`, { value: 2, reason: 'nope' });

    expect([403, 404]).toContain(answer.status);
  });

  it.each([
    ['a body without reason', 'PUT', `/v1/nodes/tenant:${TENANTS.acme}/values/${PARTS}`, { value: 2 }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['an unknown body field', 'POST', '/v1/nodes', { parent: '/GLOBAL', level: 'region', name: 'x', reason: 'r', extra: 1 }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['a path that is not canonical', 'GET', `/v1/resolve?node=${enc('/GLOBAL/region:kabul/../tenant:acme')}`, undefined, 400, 'CONFIG.INVALID_PATH'],
    ['an unknown reference form', 'GET', '/v1/resolve?node=acme', undefined, 400, 'CONFIG.INVALID_PATH'],
    ['an unknown level', 'POST', '/v1/nodes', { parent: '/GLOBAL', level: 'planet', name: 'x', reason: 'r' }, 422, 'CONFIG.UNKNOWN_LEVEL'],
    ['a history limit out of range', 'GET', `/v1/nodes/tenant:${TENANTS.acme}/versions?limit=5000`, undefined, 400, 'REQUEST.VALIDATION_FAILED'],
    ['an unknown key', 'PUT', `/v1/nodes/tenant:${TENANTS.acme}/values/sms.nothing`, { value: 1, reason: 'r' }, 404, 'CONFIG.KEY_NOT_FOUND'],
    ['an unknown node', 'GET', '/v1/nodes/no-such-node', undefined, 404, 'CONFIG.NODE_NOT_FOUND'],
  ] as const)('answers %s with a problem, never a 500', async (_what, method, url, payload, status, code) => {
    const answer = await call(admin, method, url, payload);

    expect([answer.status, answer.type.startsWith(PROBLEM), answer.body['code']]).toEqual([status, true, code]);
  });

  it('counts resolutions and changes in its Prometheus metrics', async () => {
    await call(admin, 'GET', `/v1/resolve?node=${enc(TREE.kabul)}`);
    await call(admin, 'GET', `/v1/resolve?node=${enc(TREE.kabul)}`);

    await eventually(async () => expect(await service.registry.getSingleMetricAsString('config_resolutions_total')).toMatch(/config_resolutions_total\{[^}]*cache="hit"[^}]*\} [1-9]/));
    expect(await service.registry.getSingleMetricAsString('config_changes_total')).toMatch(/operation="value.set",outcome="changed"/);
  });
});
