import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { err, ok, uuidv7 } from '@sms/kernel';
import type { EventEnvelope, Result } from '@sms/kernel';
import type { TransactionScope, UnitOfWork } from '../../src/application/ports/unit-of-work.port.js';
import type { RoleAssignment, RoleDefinition } from '../../src/domain/access.js';
import { ConfigLevels } from '../../src/domain/config-levels.js';
import { createChildNode } from '../../src/domain/config-node.js';
import type { ConfigNode } from '../../src/domain/config-node.js';
import { GLOBAL_NODE_ID, seedLevels } from '../../src/domain/config-seed.js';
import { defineKey } from '../../src/domain/key-definition.js';
import type { KeyDefinition } from '../../src/domain/key-definition.js';
import type { NodeVersion } from '../../src/domain/node-version.js';

/**
 * One contract for every adapter of the UnitOfWork port and the repositories it hands out
 * (ARCHITECTURE.md: "every port has one contract test suite that runs against each of its adapters").
 * The factory returns a store holding the seed (GLOBAL, the system roles and the seed keys).
 */
export interface UnitOfWorkFixture {
  readonly uow: UnitOfWork;
  /** Events committed to the outbox so far, oldest first. */
  committedEvents(): Promise<readonly EventEnvelope[]>;
  cleanup(): Promise<void>;
}

const levels = (() => {
  const defined = ConfigLevels.define(seedLevels);
  if (!defined.ok) throw new Error(defined.error.message);
  return defined.value;
})();
const meta = { author: 'user:contract', reason: 'contract test', now: new Date('2026-03-01T10:00:00.000Z') };
const PLATFORM = { tenantId: null } as const;

const globalNode = (): ConfigNode => ({
  id: GLOBAL_NODE_ID,
  level: 'GLOBAL',
  name: 'global',
  parentId: null,
  path: '/GLOBAL',
  tenantId: null,
  isTenantRoot: false,
  overrides: {},
  locks: [],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function childOf(parent: ConfigNode, level: string, name: string, tenantId?: string): { node: ConfigNode; version: NodeVersion } {
  const created = createChildNode(parent, { id: uuidv7(), level, name, tenantId: tenantId ?? null }, levels, meta);
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

/** A unique node name per call, so the tests of one suite never collide. */
let counter = 0;
const unique = (label: string): string => `${label}-${Date.now().toString(36)}-${(counter += 1)}`;

const event = (type: string, aggregateId: string): EventEnvelope => ({
  id: uuidv7(),
  type,
  aggregateType: 'config-node',
  aggregateId,
  tenantId: null,
  occurredAt: meta.now.toISOString(),
  data: { marker: aggregateId },
});

export function describeUnitOfWorkContract(name: string, factory: () => Promise<UnitOfWorkFixture>): void {
  describe(`UnitOfWork contract: ${name}`, () => {
    let fixture: UnitOfWorkFixture;
    const run = <T>(work: (tx: TransactionScope) => Promise<Result<T, string>>): Promise<Result<T, string>> => fixture.uow.run(work, PLATFORM);
    const value = async <T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> => {
      const result = await run(async (tx) => ok(await work(tx)));
      if (!result.ok) throw new Error(result.error);
      return result.value;
    };
    /** Stores a new child of `parent` (with its first version) and returns it. */
    const stored = async (parent: ConfigNode, level: string, label: string, tenantId?: string): Promise<ConfigNode> => {
      const created = childOf(parent, level, unique(label), tenantId);
      await value(async (tx) => {
        await tx.nodes.insert(created.node);
        await tx.versions.append(created.version);
      });
      return created.node;
    };

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.cleanup();
    });

    describe('nodes', () => {
      it('finds a stored node by id, by path, among paths and, for a tenant root, by tenant', async () => {
        const tenant = await stored(globalNode(), 'tenant', 'acme', unique('t'));

        const found = await value(async (tx) => [
          await tx.nodes.findById(tenant.id),
          await tx.nodes.findByPath(tenant.path),
          await tx.nodes.findByPaths([tenant.path, '/GLOBAL/region:nowhere']),
          await tx.nodes.findTenantRoot(tenant.tenantId ?? ''),
        ]);

        expect(found).toEqual([tenant, tenant, [tenant], tenant]);
      });

      it('answers path-taken for a second live node at the same path', async () => {
        const region = await stored(globalNode(), 'region', 'dup');
        const twin = { ...region, id: uuidv7() };

        const outcome = await value((tx) => tx.nodes.insert(twin));

        expect([outcome, await value((tx) => tx.nodes.findById(twin.id))]).toEqual(['path-taken', null]);
      });

      it('finds nothing for an unknown id, path or tenant', async () => {
        const found = await value(async (tx) => [
          await tx.nodes.findById(uuidv7()),
          await tx.nodes.findByPath('/GLOBAL/region:unknown-place'),
          await tx.nodes.findTenantRoot('no-such-tenant'),
        ]);

        expect(found).toEqual([null, null, null]);
      });

      it('replaces overrides, locks and version when the stored version is the expected one', async () => {
        const region = await stored(globalNode(), 'region', 'upd');
        const next = { ...region, overrides: { 'sms.max_parts_per_message': 3 }, locks: ['sms.max_parts_per_message'], version: 2 };

        const updated = await value((tx) => tx.nodes.update(next, 1));

        expect([updated, await value((tx) => tx.nodes.findById(region.id))]).toEqual([true, next]);
      });

      it('refuses an update from a stale version and keeps the stored node', async () => {
        const region = await stored(globalNode(), 'region', 'stale');

        const updated = await value((tx) => tx.nodes.update({ ...region, overrides: { a: 1 }, version: 3 }, 2));

        expect([updated, await value((tx) => tx.nodes.findById(region.id))]).toEqual([false, region]);
      });

      it('returns a subtree shallowest first, without siblings whose names merely start alike', async () => {
        const region = await stored(globalNode(), 'region', 'a_b');
        const lookAlike = { ...childOf(globalNode(), 'region', `${region.name}x`).node };
        const underscoreTrap = { ...childOf(globalNode(), 'region', region.name.replace('a_b', 'axb')).node };
        const tenant = await stored(region, 'tenant', 'sub', unique('t'));
        const account = await stored(tenant, 'sub-account', 'ops');
        await value(async (tx) => {
          await tx.nodes.insert(lookAlike);
          await tx.nodes.insert(underscoreTrap);
        });

        const subtree = await value((tx) => tx.nodes.findSubtree(region.path));

        expect(subtree.map((n) => n.path)).toEqual([region.path, tenant.path, account.path]);
      });

      it('finds the nodes holding an override of a key', async () => {
        const key = `contract.k${counter + 1}`;
        const region = await stored(globalNode(), 'region', 'ovr');
        await value((tx) => tx.nodes.update({ ...region, overrides: { [key]: 'x' }, version: 2 }, 1));

        const holders = await value((tx) => tx.nodes.findWithOverride(key));

        expect(holders.map((n) => n.id)).toEqual([region.id]);
      });

      it('moves a node and rewrites the paths of its whole subtree', async () => {
        const from = await stored(globalNode(), 'region', 'from');
        const to = await stored(globalNode(), 'region', 'to');
        const tenant = await stored(from, 'tenant', 'mover', unique('t'));
        const account = await stored(tenant, 'sub-account', 'billing');
        const moved = { ...tenant, parentId: to.id, path: `${to.path}/tenant:${tenant.name}`, version: 2 };

        const outcome = await value((tx) => tx.nodes.move(moved, tenant.path, 1));
        const after = await value(async (tx) => [(await tx.nodes.findById(tenant.id))?.path, (await tx.nodes.findById(account.id))?.path]);

        expect([outcome, ...after]).toEqual(['moved', moved.path, `${moved.path}/sub-account:${account.name}`]);
      });

      it('refuses a move from a stale version', async () => {
        const region = await stored(globalNode(), 'region', 'mstale');
        const other = await stored(globalNode(), 'region', 'mother');
        const tenant = await stored(region, 'tenant', 'm', unique('t'));

        const outcome = await value((tx) => tx.nodes.move({ ...tenant, parentId: other.id, path: `${other.path}/tenant:${tenant.name}`, version: 3 }, tenant.path, 2));

        expect([outcome, (await value((tx) => tx.nodes.findById(tenant.id)))?.path]).toEqual(['stale', tenant.path]);
      });

      it('refuses a move onto the path of another live node', async () => {
        const a = await stored(globalNode(), 'region', 'ma');
        const b = await stored(globalNode(), 'region', 'mb');
        const name = unique('same');
        const tenantA = childOf(a, 'tenant', name, unique('t')).node;
        const tenantB = childOf(b, 'tenant', name, unique('t')).node;
        await value(async (tx) => {
          await tx.nodes.insert(tenantA);
          await tx.nodes.insert(tenantB);
        });

        const outcome = await value((tx) => tx.nodes.move({ ...tenantA, parentId: b.id, path: tenantB.path, version: 2 }, tenantA.path, 1));

        expect(outcome).toBe('path-taken');
      });

      it('removes a node from view, keeps its history, and frees its path', async () => {
        const region = await stored(globalNode(), 'region', 'gone');

        const removed = await value((tx) => tx.nodes.remove(region.id, 1));
        const after = await value(async (tx) => [await tx.nodes.findById(region.id), await tx.nodes.findByPath(region.path), (await tx.versions.list(region.id, { limit: 5 })).length]);
        const again = await value((tx) => tx.nodes.insert({ ...region, id: uuidv7() }));

        expect([removed, ...after, again]).toEqual([true, null, null, 1, 'inserted']);
      });

      it('refuses to remove a node from a stale version', async () => {
        const region = await stored(globalNode(), 'region', 'rstale');

        const removed = await value((tx) => tx.nodes.remove(region.id, 7));

        expect([removed, await value((tx) => tx.nodes.findById(region.id))]).toEqual([false, region]);
      });
    });

    describe('versions', () => {
      it('lists a node’s versions newest first, bounded and paged backwards', async () => {
        const created = childOf(globalNode(), 'region', unique('hist'));
        const versions = [1, 2, 3, 4].map((v) => ({ ...created.version, version: v, change: v === 1 ? ('node.created' as const) : ('value.set' as const) }));
        await value(async (tx) => {
          await tx.nodes.insert(created.node);
          for (const v of versions) await tx.versions.append(v);
        });

        const [latestTwo, beforeThree, third] = await value(async (tx) => [
          await tx.versions.list(created.node.id, { limit: 2 }),
          await tx.versions.list(created.node.id, { limit: 10, beforeVersion: 3 }),
          await tx.versions.find(created.node.id, 3),
        ] as const);

        expect([latestTwo.map((v) => v.version), beforeThree.map((v) => v.version), third]).toEqual([[4, 3], [2, 1], versions[2]]);
      });

      it('refuses a second version with the same number', async () => {
        const created = childOf(globalNode(), 'region', unique('dupv'));
        await value(async (tx) => {
          await tx.nodes.insert(created.node);
          await tx.versions.append(created.version);
        });

        await expect(value((tx) => tx.versions.append(created.version))).rejects.toThrow();
      });
    });

    describe('keys', () => {
      const draft = (key: string): KeyDefinition => {
        const defined = defineKey({ key, schema: { type: 'integer', minimum: 0, default: 1 }, description: 'd', sensitive: false, ownerService: null }, meta.now);
        if (!defined.ok) throw new Error(defined.error.message);
        return defined.value;
      };

      it('stores a key once and lists the catalogue sorted by name', async () => {
        const key = draft(`contract.z${counter += 1}`);
        const [first, second, list] = await value(async (tx) => [await tx.keys.insert(key), await tx.keys.insert(key), await tx.keys.list()] as const);

        expect([first, second, list.find((k) => k.key === key.key)]).toEqual([true, false, key]);
        expect(list.map((k) => k.key)).toEqual([...list.map((k) => k.key)].sort());
      });

      it('updates a key only from its stored version', async () => {
        const key = draft(`contract.u${counter += 1}`);
        await value((tx) => tx.keys.insert(key));
        const next = { ...key, description: 'changed', deprecated: true, version: 2 };

        const [stale, fresh] = await value(async (tx) => [await tx.keys.update({ ...next, version: 9 }, 8), await tx.keys.update(next, 1)] as const);

        expect([stale, fresh, await value((tx) => tx.keys.find(key.key))]).toEqual([false, true, next]);
      });
    });

    describe('roles and assignments', () => {
      const role = (name: string, version = 1): RoleDefinition => ({
        name,
        description: 'custom',
        system: false,
        tenantAssignable: true,
        grants: [{ actions: ['node.read'], scope: 'own-tenant', keys: 'all' }],
        version,
        updatedAt: meta.now.toISOString(),
      });

      it('inserts a role once, replaces it from its version, and removes it from its version', async () => {
        const name = `custom-${counter += 1}`;
        const outcomes = await value(async (tx) => [
          await tx.roles.put(role(name), null),
          await tx.roles.put(role(name), null),
          await tx.roles.put(role(name, 2), 5),
          await tx.roles.put(role(name, 2), 1),
          await tx.roles.remove(name, 1),
          await tx.roles.remove(name, 2),
          await tx.roles.find(name),
        ]);

        expect(outcomes).toEqual([true, false, false, true, false, true, null]);
      });

      it('stores an assignment once per subject, role and tenant (a platform-wide one included)', async () => {
        const subjectId = `user:${counter += 1}`;
        const assignment = (tenantId: string | null): RoleAssignment => ({
          id: uuidv7(),
          subjectId,
          role: 'read-only',
          tenantId,
          assignedBy: 'user:root',
          assignedAt: meta.now.toISOString(),
        });
        const platformWide = assignment(null);
        const inTenant = assignment('tenant-x');

        const outcomes = await value(async (tx) => [
          await tx.assignments.insert(platformWide),
          await tx.assignments.insert(assignment(null)),
          await tx.assignments.insert(inTenant),
          await tx.assignments.find(subjectId, 'read-only', null),
          await tx.assignments.find(subjectId, 'read-only', 'tenant-x'),
          // Both share subject and role, the list's sort keys: compare them in a fixed order.
          (await tx.assignments.list({ subjectId })).sort((a, b) => (a.id < b.id ? -1 : 1)),
          await tx.assignments.list({ subjectId, tenantId: 'tenant-x' }),
        ]);

        expect(outcomes).toEqual([true, false, true, platformWide, inTenant, [platformWide, inTenant].sort((a, b) => (a.id < b.id ? -1 : 1)), [inTenant]]);
      });

      it('removes an assignment by id, once', async () => {
        const assignment: RoleAssignment = { id: uuidv7(), subjectId: `user:${counter += 1}`, role: 'read-only', tenantId: null, assignedBy: 'user:root', assignedAt: meta.now.toISOString() };
        await value((tx) => tx.assignments.insert(assignment));

        const outcomes = await value(async (tx) => [await tx.assignments.remove(assignment.id), await tx.assignments.remove(assignment.id), await tx.assignments.findById(assignment.id)]);

        expect(outcomes).toEqual([true, false, null]);
      });
    });

    describe('transactions, outbox and inbox', () => {
      it('commits a change together with its outbox events', async () => {
        const created = childOf(globalNode(), 'region', unique('commit'));
        const e = event('config.node.created.v1', created.node.id);

        await value(async (tx) => {
          await tx.nodes.insert(created.node);
          await tx.outbox.enqueue([e]);
        });

        expect([(await value((tx) => tx.nodes.findById(created.node.id)))?.id, (await fixture.committedEvents()).some((c) => c.id === e.id)]).toEqual([created.node.id, true]);
      });

      it('rolls back the change and its events when the work returns an error', async () => {
        const created = childOf(globalNode(), 'region', unique('rollback'));
        const e = event('config.node.created.v1', created.node.id);

        const result = await run(async (tx) => {
          await tx.nodes.insert(created.node);
          await tx.outbox.enqueue([e]);
          return err('refused');
        });

        expect([result, await value((tx) => tx.nodes.findById(created.node.id)), (await fixture.committedEvents()).some((c) => c.id === e.id)]).toEqual([
          { ok: false, error: 'refused' },
          null,
          false,
        ]);
      });

      it('rolls back and rethrows when the work throws', async () => {
        const created = childOf(globalNode(), 'region', unique('throw'));

        const attempt = run(async (tx) => {
          await tx.nodes.insert(created.node);
          throw new Error('boom');
        });

        await expect(attempt).rejects.toThrow('boom');
        expect(await value((tx) => tx.nodes.findById(created.node.id))).toBeNull();
      });

      it('records a consumed event once per consumer, and forgets it when the transaction rolls back', async () => {
        const eventId = uuidv7();
        const rolledBack = await run(async (tx) => ((await tx.inbox.markHandled('contract', eventId)) ? err('undo') : ok(false)));

        const outcomes = await value(async (tx) => [
          await tx.inbox.markHandled('contract', eventId),
          await tx.inbox.markHandled('contract', eventId),
          await tx.inbox.markHandled('contract-other', eventId),
        ]);

        expect([rolledBack.ok, ...outcomes]).toEqual([false, true, false, true]);
      });
    });
  });
}
