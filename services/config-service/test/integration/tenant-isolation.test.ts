import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '@sms/kernel';
import { ClearValueUseCase } from '../../src/application/clear-value.use-case.js';
import { CreateNodeUseCase } from '../../src/application/create-node.use-case.js';
import { DeleteNodeUseCase } from '../../src/application/delete-node.use-case.js';
import { GetNodeHistoryUseCase } from '../../src/application/get-node-history.use-case.js';
import { GetNodeUseCase } from '../../src/application/get-node.use-case.js';
import { MoveNodeUseCase } from '../../src/application/move-node.use-case.js';
import { RemoveLockUseCase } from '../../src/application/remove-lock.use-case.js';
import { ResolveConfigUseCase } from '../../src/application/resolve-config.use-case.js';
import { RollbackNodeUseCase } from '../../src/application/rollback-node.use-case.js';
import { SetLockUseCase } from '../../src/application/set-lock.use-case.js';
import { SetValueUseCase } from '../../src/application/set-value.use-case.js';
import type { ConfigError } from '../../src/domain/config-errors.js';
import { buildUseCases } from '../../src/composition.js';
import { createConfigDatabase, postgresDeps } from '../support/config-database.js';
import { startHttpFixture } from '../support/http-fixture.js';
import type { HttpFixture } from '../support/http-fixture.js';
import type { ConfigDatabaseFixture } from '../support/config-database.js';
import { TENANTS, TREE, actors, createTree } from '../support/tree.js';

const PARTS = 'sms.max_parts_per_message';
/** A value only tenant acme holds, to look for in anything tenant globex gets back. */
const SECRET_VALUE = 7;

/**
 * Tenant isolation (readiness checklist: tenant-isolation, cross-tenant resolution with zero
 * leakage, RLS verified in integration tests). Tenant globex tries to resolve, read and write
 * tenant acme's nodes through every use case and is refused with an answer that reveals nothing;
 * then the same isolation is shown at the SQL level, where row-level security alone refuses.
 */
describe('tenant isolation', () => {
  let fixture: ConfigDatabaseFixture;
  let deps: Awaited<ReturnType<typeof postgresDeps>>;
  let acmeNodeId: string;
  let acmeBillingId: string;
  let globexNodeId: string;

  beforeAll(async () => {
    fixture = await createConfigDatabase('cfg_isolation');
    deps = await postgresDeps(fixture);
    await createTree(new CreateNodeUseCase(deps));
    const set = await new SetValueUseCase(deps).execute({ subject: actors.acmeAdmin, node: TREE.acme, key: PARTS, value: SECRET_VALUE, reason: 'acme only' });
    if (!set.ok) throw new Error(set.error.message);
    const ids = await fixture.admin<{ id: string; path: string }>(`SELECT id, path FROM config.config_nodes`);
    const idOf = (path: string): string => ids.find((r) => r.path === path)?.id ?? '';
    acmeNodeId = idOf(TREE.acme);
    acmeBillingId = idOf(TREE.acmeBilling);
    globexNodeId = idOf(TREE.globex);
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  /** Acme's node rows and its event count, to show that a refused attempt changed nothing. */
  const acmeState = async () => ({
    nodes: await fixture.admin(`SELECT id, version, overrides, locks, path, deleted_at FROM config.config_nodes WHERE tenant_id = $1 ORDER BY id`, [
      TENANTS.acme,
    ]),
    events: (await fixture.admin<{ n: string }>(`SELECT count(*) AS n FROM config.outbox WHERE payload->>'tenantId' = $1`, [TENANTS.acme]))[0]?.n,
  });

  /** A refusal that says nothing about acme: not found, echoing only what the caller sent. */
  const expectNothingLeaked = (error: ConfigError | null, reference: string, code = 'CONFIG.NODE_NOT_FOUND'): void => {
    expect(error?.code).toBe(code);
    const text = JSON.stringify(error);
    for (const secret of [TENANTS.acme, acmeNodeId, `"value":${SECRET_VALUE}`, 'tenant-admin', 'sub-account:billing']) {
      if (!reference.includes(secret)) expect(text).not.toContain(secret);
    }
  };

  describe('cross-tenant resolution', () => {
    const references = [TREE.acme, `tenant:${TENANTS.acme}`, 'acme node by id', TREE.acmeBilling];
    const resolveAs = (node: string) => new ResolveConfigUseCase(deps).execute({ subject: actors.globexAdmin, node });

    it.each(references)('refuses tenant globex resolving acme’s node named as %s, revealing nothing', async (name) => {
      const reference = name === 'acme node by id' ? `node:${acmeNodeId}` : name;

      const answer = await resolveAs(reference);

      expectNothingLeaked(answer.ok ? null : answer.error, reference);
    });

    it('refuses tenant globex a resolution of acme’s node that acme has just put in the cache', async () => {
      const warmed = await new ResolveConfigUseCase(deps).execute({ subject: actors.acmeAdmin, node: TREE.acme });

      const answer = await resolveAs(TREE.acme);

      expect(warmed.ok && warmed.value.values[PARTS]?.value).toBe(SECRET_VALUE);
      expectNothingLeaked(answer.ok ? null : answer.error, TREE.acme);
    });

    it('refuses tenant globex the look-alike path of another tenant named acme', async () => {
      const answer = await resolveAs(TREE.impostorAcme);

      expectNothingLeaked(answer.ok ? null : answer.error, TREE.impostorAcme);
    });

    it('refuses tenant globex the nodes above its own tenant node (GLOBAL and regions)', async () => {
      const answers = await Promise.all([resolveAs(TREE.global), resolveAs(TREE.kabul)]);

      expect(answers.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(['CONFIG.NODE_NOT_FOUND', 'CONFIG.NODE_NOT_FOUND']);
    });

    it('lets tenant globex resolve its own node, where acme’s value does not appear', async () => {
      const answer = await resolveAs(TREE.globex);

      expect(answer.ok && answer.value.values[PARTS]).toMatchObject({ value: 6, source: { kind: 'default' } });
    });
  });

  describe('reads and writes of another tenant’s node', () => {
    const subject = actors.globexAdmin;
    const attempts: Array<[what: string, reference: string, attempt: () => Promise<{ ok: boolean; error?: ConfigError }>, code?: string]> = [
      ['read the node', TREE.acme, () => new GetNodeUseCase(deps).execute({ subject, node: TREE.acme })],
      ['read the history', TREE.acme, () => new GetNodeHistoryUseCase(deps).execute({ subject, node: TREE.acme })],
      ['set a value', TREE.acme, () => new SetValueUseCase(deps).execute({ subject, node: TREE.acme, key: PARTS, value: 1, reason: 'x' })],
      ['clear a value', TREE.acme, () => new ClearValueUseCase(deps).execute({ subject, node: TREE.acme, key: PARTS, reason: 'x' })],
      ['set a lock', TREE.acme, () => new SetLockUseCase(deps).execute({ subject, node: TREE.acme, key: PARTS, reason: 'x' })],
      ['remove a lock', TREE.acme, () => new RemoveLockUseCase(deps).execute({ subject, node: TREE.acme, key: PARTS, reason: 'x' })],
      ['roll back', TREE.acme, () => new RollbackNodeUseCase(deps).execute({ subject, node: TREE.acme, toVersion: 1, reason: 'x' })],
      [
        'move the sub-account',
        TREE.acmeBilling,
        () => new MoveNodeUseCase(deps).execute({ subject, node: TREE.acmeBilling, newParent: TREE.globex, reason: 'x' }),
      ],
      ['delete the sub-account', TREE.acmeBilling, () => new DeleteNodeUseCase(deps).execute({ subject, node: TREE.acmeBilling, reason: 'x' })],
      [
        'create a child',
        TREE.acme,
        () => new CreateNodeUseCase(deps).execute({ subject, parent: TREE.acme, level: 'sub-account', name: 'x', reason: 'x' }),
        'CONFIG.PARENT_NOT_FOUND',
      ],
      [
        'move its own sub-account under acme',
        TREE.acme,
        () => new MoveNodeUseCase(deps).execute({ subject, node: TREE.globexOps, newParent: TREE.acme, reason: 'x' }),
        'CONFIG.PARENT_NOT_FOUND',
      ],
    ];

    it.each(attempts)('refuses tenant globex to %s of acme (%s), changes nothing and reveals nothing', async (_what, reference, attempt, code) => {
      const before = await acmeState();

      const answer = await attempt();

      expectNothingLeaked(answer.ok ? null : (answer.error ?? null), reference, code);
      expect(await acmeState()).toEqual(before);
    });
  });

  describe('every endpoint of the REST API, as tenant globex against tenant acme', () => {
    let http: HttpFixture;
    const enc = encodeURIComponent;
    const acme = () => ({ path: enc(TREE.acme), id: acmeNodeId, tenant: `tenant:${TENANTS.acme}` });
    const assignment = { assignee: 'user:intruder', role: 'read-only', tenantId: TENANTS.acme, reason: 'x' };

    beforeAll(async () => {
      http = await startHttpFixture(buildUseCases(deps));
    });
    afterAll(async () => {
      await http.close();
    });

    const endpoints: Array<[method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: () => string, body: Record<string, unknown> | undefined, status: number]> = [
      ['GET', () => `/v1/resolve?node=${acme().path}`, undefined, 404],
      ['GET', () => `/v1/resolve?node=${acme().tenant}`, undefined, 404],
      ['GET', () => `/v1/resolve?node=node:${acme().id}`, undefined, 404],
      ['GET', () => `/v1/resolve?node=${enc(TREE.impostorAcme)}`, undefined, 404],
      ['GET', () => `/v1/nodes/${acme().id}/resolved`, undefined, 404],
      ['GET', () => `/v1/nodes/${acme().path}`, undefined, 404],
      ['GET', () => `/v1/nodes/by-path?path=${acme().path}`, undefined, 404],
      ['GET', () => `/v1/nodes/${acme().id}/versions`, undefined, 404],
      ['PUT', () => `/v1/nodes/${acme().id}/values/${PARTS}`, { value: 1, reason: 'x' }, 404],
      ['DELETE', () => `/v1/nodes/${acme().id}/values/${PARTS}`, { reason: 'x' }, 404],
      ['PUT', () => `/v1/nodes/${acme().tenant}/locks/${PARTS}`, { reason: 'x' }, 404],
      ['DELETE', () => `/v1/nodes/${acme().tenant}/locks/${PARTS}`, { reason: 'x' }, 404],
      ['POST', () => `/v1/nodes/${acme().id}/rollback`, { toVersion: 1, reason: 'x' }, 404],
      ['POST', () => `/v1/nodes/${acmeBillingId}/move`, { newParent: TREE.globex, reason: 'x' }, 404],
      ['DELETE', () => `/v1/nodes/${acmeBillingId}`, { reason: 'x' }, 404],
      ['POST', () => '/v1/nodes', { parent: TREE.acme, level: 'sub-account', name: 'x', reason: 'x' }, 404],
      ['POST', () => '/v1/role-assignments', assignment, 403],
      ['DELETE', () => '/v1/role-assignments', assignment, 403],
      ['POST', () => '/v1/keys', { key: 'sms.intruder', schema: { type: 'boolean' } }, 403],
      ['PATCH', () => `/v1/keys/${PARTS}`, { description: 'x', reason: 'x' }, 403],
      ['GET', () => '/v1/roles', undefined, 403],
      ['PUT', () => '/v1/roles/intruder', { tenantAssignable: true, grants: [{ actions: ['node.read'], scope: 'everywhere', keys: 'all' }], reason: 'x' }, 403],
    ];

    it.each(endpoints)('refuses %s %s to tenant globex, changes nothing and reveals nothing', async (method, url, body, status) => {
      const before = await acmeState();
      const token = await http.token(actors.globexAdmin);

      const response = await http.app.inject({ method, url: url(), headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body }) });

      expect(response.statusCode).toBe(status);
      for (const secret of [TENANTS.acme, acmeNodeId, `"value":${SECRET_VALUE}`, 'sub-account:billing']) {
        if (!decodeURIComponent(url()).includes(secret) && !JSON.stringify(body ?? {}).includes(secret)) expect(response.body).not.toContain(secret);
      }
      expect(await acmeState()).toEqual(before);
    });

    it('lists none of acme’s role assignments to tenant globex, even when asked for acme by name', async () => {
      await deps.uow.run(async (tx) => ok(await tx.assignments.insert({ id: 'ra-acme', subjectId: 'user:acme-x', role: 'read-only', tenantId: TENANTS.acme, assignedBy: 'user:root', assignedAt: new Date().toISOString() })), { tenantId: null });
      const token = await http.token(actors.globexAdmin);

      const response = await http.app.inject({ method: 'GET', url: `/v1/role-assignments?tenantId=${TENANTS.acme}`, headers: { authorization: `Bearer ${token}` } });

      expect([response.statusCode, response.json()]).toEqual([200, { assignments: [] }]);
    });
  });

  describe('row-level security at the SQL level', () => {
    const app = (tenantId: string | null) => ({ role: fixture.roles.appRole, tenantId });
    const system = () => ({ role: fixture.roles.systemRole });

    it('shows a tenant transaction its own nodes and the tenant-less nodes above, never another tenant’s', async () => {
      const rows = await fixture.as<{ tenant_id: string | null }>(app(TENANTS.globex), `SELECT DISTINCT tenant_id FROM config.config_nodes`);

      expect(rows.map((r) => r.tenant_id).sort()).toEqual([TENANTS.globex, null].sort());
    });

    it('shows a transaction without a tenant only the tenant-less nodes', async () => {
      const rows = await fixture.as<{ tenant_id: string | null }>(app(null), `SELECT DISTINCT tenant_id FROM config.config_nodes`);

      expect(rows.map((r) => r.tenant_id)).toEqual([null]);
    });

    it('updates and deletes none of another tenant’s nodes, nor the tenant-less nodes above', async () => {
      const updated = await fixture.as(app(TENANTS.globex), `UPDATE config.config_nodes SET version = version + 1 WHERE id <> $1 AND tenant_id IS DISTINCT FROM $2 RETURNING id`, [globexNodeId, TENANTS.globex]);
      const deleted = await fixture.as(app(TENANTS.globex), `DELETE FROM config.config_nodes WHERE id = ANY($1) RETURNING id`, [[acmeNodeId, acmeBillingId]]);

      expect([updated, deleted]).toEqual([[], []]);
    });

    it('refuses to insert a node into another tenant, or a tenant-less node', async () => {
      const insert = (tenantId: string | null) =>
        fixture.as(
          app(TENANTS.globex),
          `INSERT INTO config.config_nodes (id, level, name, parent_id, path, tenant_id, is_tenant_root, version, created_at, updated_at)
           VALUES ($1, 'region', 'x', '00000000-0000-7000-8000-000000000001', $2, $3, false, 1, now(), now())`,
          [`forged-${String(tenantId)}`, `/GLOBAL/region:forged-${String(tenantId)}`, tenantId],
        );

      await expect(insert(TENANTS.acme)).rejects.toThrow(/row-level security/);
      await expect(insert(null)).rejects.toThrow(/row-level security/);
    });

    it('refuses to move one of its own nodes into another tenant', async () => {
      const move = fixture.as(app(TENANTS.globex), `UPDATE config.config_nodes SET tenant_id = $1 WHERE id = $2`, [TENANTS.acme, globexNodeId]);

      await expect(move).rejects.toThrow(/row-level security/);
    });

    it('shows a tenant only its own history, which nobody can rewrite', async () => {
      const visible = await fixture.as<{ tenant_id: string | null }>(app(TENANTS.globex), `SELECT DISTINCT tenant_id FROM config.node_versions`);
      const rewritten = await fixture.as(app(TENANTS.globex), `UPDATE config.node_versions SET reason = 'rewritten' RETURNING node_id`);
      const erased = await fixture.as(system(), `DELETE FROM config.node_versions RETURNING node_id`);

      expect([visible.map((r) => r.tenant_id), rewritten, erased]).toEqual([[TENANTS.globex], [], []]);
    });

    it('lets tenants read the key catalogue and the roles but never write them', async () => {
      const keys = await fixture.as(app(TENANTS.globex), `SELECT key FROM config.key_definitions`);
      const keyUpdate = await fixture.as(app(TENANTS.globex), `UPDATE config.key_definitions SET description = 'x' RETURNING key`);
      const roleUpdate = await fixture.as(app(TENANTS.globex), `UPDATE config.role_definitions SET description = 'x' RETURNING name`);

      expect([keys.length, keyUpdate, roleUpdate]).toEqual([2, [], []]);
      await expect(
        fixture.as(app(TENANTS.globex), `INSERT INTO config.role_definitions VALUES ('evil', 'x', false, true, '[]', 1, now())`),
      ).rejects.toThrow(/row-level security/);
    });

    it('keeps the system roles out of reach of the system role itself (they change only by migration)', async () => {
      const updated = await fixture.as(system(), `UPDATE config.role_definitions SET description = 'x' WHERE system RETURNING name`);
      const deleted = await fixture.as(system(), `DELETE FROM config.role_definitions WHERE system RETURNING name`);

      expect([updated, deleted]).toEqual([[], []]);
    });

    it('hides another tenant’s role assignments and the platform-wide ones from a tenant', async () => {
      await fixture.admin(
        `INSERT INTO config.role_assignments VALUES ('ra-1', 'user:a', 'tenant-admin', $1, 'user:root', now()), ('ra-2', 'user:b', 'platform-admin', NULL, 'user:root', now())`,
        [TENANTS.acme],
      );

      const visible = await fixture.as(app(TENANTS.globex), `SELECT id FROM config.role_assignments`);

      expect(visible).toEqual([]);
    });

    it('hides acme’s node from globex’s transaction even before any access check runs', async () => {
      const found = await deps.uow.run(async (tx) => ok([await tx.nodes.findByPath(TREE.acme), await tx.nodes.findById(acmeNodeId)]), {
        tenantId: TENANTS.globex,
        readOnly: true,
      });

      expect(found.ok && found.value).toEqual([null, null]);
    });
  });
});
