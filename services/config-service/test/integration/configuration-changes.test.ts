import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearValueUseCase } from '../../src/application/clear-value.use-case.js';
import { CreateNodeUseCase } from '../../src/application/create-node.use-case.js';
import { DeleteNodeUseCase } from '../../src/application/delete-node.use-case.js';
import { GetNodeHistoryUseCase } from '../../src/application/get-node-history.use-case.js';
import { MoveNodeUseCase } from '../../src/application/move-node.use-case.js';
import { ResolveConfigUseCase } from '../../src/application/resolve-config.use-case.js';
import { RollbackNodeUseCase } from '../../src/application/rollback-node.use-case.js';
import { SetLockUseCase } from '../../src/application/set-lock.use-case.js';
import { SetValueUseCase } from '../../src/application/set-value.use-case.js';
import { createConfigDatabase, postgresDeps } from '../support/config-database.js';
import type { ConfigDatabaseFixture } from '../support/config-database.js';
import { actors } from '../support/tree.js';

const PARTS = 'sms.max_parts_per_message';
const RATE = 'sms.submit_rate_per_second';
const admin = actors.platformAdmin;

/** Resolution, locking, rollback and validation on the real PostgreSQL adapters (issue 6, acceptance). */
describe('configuration changes on PostgreSQL', () => {
  let fixture: ConfigDatabaseFixture;
  let deps: Awaited<ReturnType<typeof postgresDeps>>;
  let counter = 0;

  beforeAll(async () => {
    fixture = await createConfigDatabase('cfg_changes');
    deps = await postgresDeps(fixture);
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  /** A fresh region with one tenant under it, so that each test changes its own nodes. */
  async function regionWithTenant(): Promise<{ region: string; tenant: string; tenantId: string }> {
    counter += 1;
    const create = new CreateNodeUseCase(deps);
    const region = await create.execute({ subject: admin, parent: '/GLOBAL', level: 'region', name: `r${counter}`, reason: 'arrange' });
    const tenantId = `tenant-${counter}`;
    const tenant = await create.execute({ subject: admin, parent: `/GLOBAL/region:r${counter}`, level: 'tenant', name: `t${counter}`, tenantId, reason: 'arrange' });
    if (!region.ok || !tenant.ok) throw new Error('arrangement failed');
    return { region: region.value.path, tenant: tenant.value.path, tenantId };
  }
  const set = (node: string, key: string, value: unknown, subject = admin) =>
    new SetValueUseCase(deps).execute({ subject, node, key, value, reason: 'test' });
  const resolve = (node: string, subject: typeof admin | typeof actors.acmeAdmin = admin) => new ResolveConfigUseCase(deps).execute({ subject, node });
  const outboxCount = async (): Promise<number> => Number((await fixture.admin<{ n: string }>(`SELECT count(*) AS n FROM config.outbox`))[0]?.n);

  it('resolves each key with its value and where it came from: default, region override, tenant override', async () => {
    const { region, tenant } = await regionWithTenant();
    await set(region, PARTS, 4);
    await set(tenant, RATE, 250);

    const resolved = await resolve(tenant);

    expect(resolved.ok && resolved.value.values).toMatchObject({
      [PARTS]: { value: 4, source: { kind: 'node', path: region }, lockedAt: null },
      [RATE]: { value: 250, source: { kind: 'node', path: tenant }, lockedAt: null },
    });
  });

  it('makes a value follow the parent again once its override is cleared', async () => {
    const { region, tenant } = await regionWithTenant();
    await set(region, PARTS, 5);
    await set(tenant, PARTS, 2);

    await new ClearValueUseCase(deps).execute({ subject: admin, node: tenant, key: PARTS, reason: 'back to the region' });
    const resolved = await resolve(tenant);

    expect(resolved.ok && resolved.value.values[PARTS]).toMatchObject({ value: 5, source: { kind: 'node', path: region } });
  });

  it('refuses to override a key locked above, naming the key and the locking node', async () => {
    const { region, tenant } = await regionWithTenant();
    await set(region, PARTS, 3);
    await new SetLockUseCase(deps).execute({ subject: admin, node: region, key: PARTS, reason: 'regulator cap' });

    const refused = await set(tenant, PARTS, 8);

    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'CONFIG.KEY_LOCKED', details: { key: PARTS, lockedAt: region } });
  });

  it('ignores overrides below a lock set after them', async () => {
    const { region, tenant } = await regionWithTenant();
    await set(tenant, PARTS, 9);
    await new SetLockUseCase(deps).execute({ subject: admin, node: region, key: PARTS, reason: 'freeze at the default' });

    const resolved = await resolve(tenant);

    expect(resolved.ok && resolved.value.values[PARTS]).toMatchObject({ value: 6, source: { kind: 'default' }, lockedAt: { path: region } });
  });

  it('rolls a node back to an earlier version as a new version, recorded in its history', async () => {
    const { tenant } = await regionWithTenant();
    await set(tenant, PARTS, 2); // version 2
    await set(tenant, PARTS, 7); // version 3
    await set(tenant, RATE, 10); // version 4

    const rolledBack = await new RollbackNodeUseCase(deps).execute({ subject: admin, node: tenant, toVersion: 2, reason: 'bad release' });
    const resolved = await resolve(tenant);
    const history = await new GetNodeHistoryUseCase(deps).execute({ subject: admin, node: tenant, limit: 1 });

    expect(rolledBack.ok && rolledBack.value).toMatchObject({ version: 5, changed: true });
    expect(resolved.ok && [resolved.value.values[PARTS]?.value, resolved.value.values[RATE]?.source]).toEqual([2, { kind: 'default' }]);
    expect(history.ok && history.value[0]).toMatchObject({
      version: 5,
      change: 'node.rolled-back',
      author: admin.id,
      reason: 'bad release',
      rolledBackTo: 2,
      diff: [
        { key: PARTS, before: { value: 7 }, after: { value: 2 } },
        { key: RATE, before: { value: 10 }, after: { value: null } },
      ],
    });
  });

  it('refuses a value that breaks the key schema with the key and the rule, and stores nothing', async () => {
    const { tenant } = await regionWithTenant();
    const eventsBefore = await outboxCount();

    const refused = await set(tenant, PARTS, 11);
    const history = await new GetNodeHistoryUseCase(deps).execute({ subject: admin, node: tenant });

    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'CONFIG.VALUE_REJECTED', details: { key: PARTS, rule: 'maximum' } });
    expect([history.ok && history.value.length, await outboxCount()]).toEqual([1, eventsBefore]);
  });

  it('lets exactly one of two concurrent changes from the same version win', async () => {
    const { tenant } = await regionWithTenant();
    const change = (value: number) =>
      new SetValueUseCase(deps).execute({ subject: admin, node: tenant, key: PARTS, value, reason: 'race', expectedVersion: 1 });

    const outcomes = await Promise.all([change(2), change(3)]);

    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code)).sort()).toEqual(['CONFIG.VERSION_CONFLICT', 'ok']);
  });

  it('moves a tenant with its subtree to another region, after which it resolves from the new region', async () => {
    const { tenant } = await regionWithTenant();
    const target = await regionWithTenant();
    await new CreateNodeUseCase(deps).execute({ subject: admin, parent: tenant, level: 'sub-account', name: 'ops', reason: 'arrange' });
    await set(target.region, PARTS, 1);

    const moved = await new MoveNodeUseCase(deps).execute({ subject: admin, node: tenant, newParent: target.region, reason: 'reorganisation' });
    const newPath = `${target.region}/${tenant.split('/').at(-1) ?? ''}`;
    const resolved = await resolve(`${newPath}/sub-account:ops`);

    expect(moved.ok && moved.value.path).toBe(newPath);
    expect(resolved.ok && resolved.value.values[PARTS]).toMatchObject({ value: 1, source: { path: target.region } });
  });

  it('deletes a node with its subtree while keeping their history', async () => {
    const { tenant } = await regionWithTenant();
    const child = await new CreateNodeUseCase(deps).execute({ subject: admin, parent: tenant, level: 'sub-account', name: 'gone', reason: 'arrange' });

    const deleted = await new DeleteNodeUseCase(deps).execute({ subject: admin, node: tenant, reason: 'offboarded' });
    const afterwards = await resolve(`${tenant}/sub-account:gone`);
    const history = await fixture.admin<{ change: string }>(`SELECT change FROM config.node_versions WHERE node_id = $1 ORDER BY version`, [
      child.ok ? child.value.nodeId : '',
    ]);

    expect(deleted.ok && deleted.value.deletedDescendants).toEqual([child.ok && child.value.nodeId]);
    expect(afterwards.ok ? null : afterwards.error.code).toBe('CONFIG.NODE_NOT_FOUND');
    expect(history.map((h) => h.change)).toEqual(['node.created', 'node.deleted']);
  });
});
