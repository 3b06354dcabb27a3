import { describe, expect, it } from 'vitest';
import { CreateNodeUseCase } from '../../../src/application/create-node.use-case.js';
import { DeleteNodeUseCase } from '../../../src/application/delete-node.use-case.js';
import { GetNodeUseCase } from '../../../src/application/get-node.use-case.js';
import { MoveNodeUseCase } from '../../../src/application/move-node.use-case.js';
import { ResolveConfigUseCase } from '../../../src/application/resolve-config.use-case.js';
import { SetValueUseCase } from '../../../src/application/set-value.use-case.js';
import { PATHS, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

const admin = subjects.platformAdmin;

function setup() {
  const world = createWorld();
  return {
    world,
    create: new CreateNodeUseCase(world.deps),
    move: new MoveNodeUseCase(world.deps),
    remove: new DeleteNodeUseCase(world.deps),
    get: new GetNodeUseCase(world.deps),
    set: new SetValueUseCase(world.deps),
    resolve: new ResolveConfigUseCase(world.deps),
  };
}

describe('CreateNodeUseCase', () => {
  it('creates a node under its parent with a first version and config.node.created.v1', async () => {
    const { world, create } = setup();
    const result = unwrap(await create.execute({ subject: admin, parent: PATHS.global, level: 'operator', name: 'roshan', reason: 'new MNO' }));
    expect([result.path, result.version, world.uow.versionsOf(result.nodeId).map((v) => v.change), world.events('config.node.created.v1')[0]?.data]).toEqual([
      '/GLOBAL/operator:roshan',
      1,
      ['node.created'],
      expect.objectContaining({ path: '/GLOBAL/operator:roshan', level: 'operator', name: 'roshan', parentId: '00000000-0000-7000-8000-000000000001' }),
    ]);
  });

  it('gives a sub-account the tenant of its tenant node', async () => {
    const { world, create } = setup();
    const result = unwrap(await create.execute({ subject: subjects.acmeAdmin, parent: 'tenant:tenant-acme', level: 'sub-account', name: 'marketing', reason: 'x' }));
    expect(world.uow.nodes.find((n) => n.id === result.nodeId)?.tenantId).toBe('tenant-acme');
  });

  it('refuses a sibling with the same level and name', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: admin, parent: PATHS.global, level: 'region', name: 'kabul', reason: 'x' }));
    expect(error.code).toBe('CONFIG.PATH_CONFLICT');
  });

  it('refuses a second node for the same tenant', async () => {
    const { create } = setup();
    const error = unwrapErr(
      await create.execute({ subject: admin, parent: PATHS.herat, level: 'tenant', name: 'acme-two', tenantId: 'tenant-acme', reason: 'x' }),
    );
    expect(error).toMatchObject({ code: 'CONFIG.PATH_CONFLICT', details: { tenantId: 'tenant-acme' } });
  });

  it('refuses a missing parent', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: admin, parent: '/GLOBAL/region:mars', level: 'tenant', name: 'x', tenantId: 't', reason: 'x' }));
    expect(error.code).toBe('CONFIG.PARENT_NOT_FOUND');
  });

  it('answers parent-not-found for a parent the caller may not see', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: subjects.acmeAdmin, parent: PATHS.globex, level: 'sub-account', name: 'x', reason: 'x' }));
    expect(error.code).toBe('CONFIG.PARENT_NOT_FOUND');
  });

  it('refuses a read-only subject with access-denied on a parent it can see', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: subjects.acmeReader, parent: PATHS.acme, level: 'sub-account', name: 'x', reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('refuses a level that may not hang under the parent', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: admin, parent: PATHS.kabul, level: 'sub-account', name: 'x', reason: 'x' }));
    expect(error.code).toBe('CONFIG.LEVEL_NOT_ALLOWED');
  });

  it('refuses a malformed parent reference', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: admin, parent: 'kabul', level: 'tenant', name: 'x', reason: 'x' }));
    expect(error.code).toBe('CONFIG.PARENT_NOT_FOUND');
  });

  it('refuses a change without a reason', async () => {
    const { create } = setup();
    expect(unwrapErr(await create.execute({ subject: admin, parent: PATHS.global, level: 'region', name: 'x', reason: '' })).code).toBe('CONFIG.INVALID_INPUT');
  });
});

describe('MoveNodeUseCase', () => {
  it('moves a tenant and its subtree to another parent and publishes config.node.moved.v1', async () => {
    const { world, move } = setup();
    const result = unwrap(await move.execute({ subject: admin, node: PATHS.acme, newParent: PATHS.global, reason: 'relocated' }));
    expect([
      result.path,
      world.node('/GLOBAL/tenant:acme/sub-account:billing').id,
      world.events('config.node.moved.v1')[0]?.data,
    ]).toEqual([
      '/GLOBAL/tenant:acme',
      'n-acme-billing',
      expect.objectContaining({ fromPath: PATHS.acme, path: '/GLOBAL/tenant:acme', movedDescendants: 1, version: 2 }),
    ]);
  });

  it('refuses a move onto a path that is taken', async () => {
    const { move } = setup();
    // herat already holds the impostor's tenant:acme
    const error = unwrapErr(await move.execute({ subject: admin, node: PATHS.acme, newParent: PATHS.herat, reason: 'x' }));
    expect(error.code).toBe('CONFIG.PATH_CONFLICT');
  });

  it('changes the resolution of the moved subtree', async () => {
    const { move, set, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.herat, key: 'sms.max_parts_per_message', value: 2, reason: 'x' });
    await resolve.execute({ subject: admin, node: PATHS.globexOps });
    await move.execute({ subject: admin, node: PATHS.globex, newParent: PATHS.herat, reason: 'x' });
    const moved = unwrap(await resolve.execute({ subject: admin, node: '/GLOBAL/region:herat/tenant:globex/sub-account:ops' }));
    expect(moved.values['sms.max_parts_per_message']?.value).toBe(2);
  });

  it('refuses a tenant admin moving its own tenant node', async () => {
    const { move } = setup();
    const error = unwrapErr(await move.execute({ subject: subjects.acmeAdmin, node: PATHS.acme, newParent: PATHS.global, reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it("answers parent-not-found when a tenant admin moves a sub-account under another tenant", async () => {
    const { move } = setup();
    const error = unwrapErr(await move.execute({ subject: subjects.acmeAdmin, node: PATHS.acmeBilling, newParent: PATHS.globex, reason: 'x' }));
    expect(error.code).toBe('CONFIG.PARENT_NOT_FOUND');
  });

  it("refuses a platform admin moving a sub-account into another tenant", async () => {
    const { move } = setup();
    const error = unwrapErr(await move.execute({ subject: admin, node: PATHS.acmeBilling, newParent: PATHS.globex, reason: 'x' }));
    expect(error.code).toBe('CONFIG.TENANT_BOUNDARY');
  });

  it('changes nothing when the node already hangs under the new parent', async () => {
    const { world, move } = setup();
    const result = unwrap(await move.execute({ subject: admin, node: PATHS.acme, newParent: PATHS.kabul, reason: 'x' }));
    expect([result.changed, world.events()]).toEqual([false, []]);
  });

  it('refuses a move against a stale version', async () => {
    const { move } = setup();
    const error = unwrapErr(await move.execute({ subject: admin, node: PATHS.globex, newParent: PATHS.herat, reason: 'x', expectedVersion: 7 }));
    expect(error.code).toBe('CONFIG.VERSION_CONFLICT');
  });

  it('refuses a missing new parent', async () => {
    const { move } = setup();
    expect(unwrapErr(await move.execute({ subject: admin, node: PATHS.globex, newParent: '/GLOBAL/region:mars', reason: 'x' })).code).toBe(
      'CONFIG.PARENT_NOT_FOUND',
    );
  });
});

describe('DeleteNodeUseCase', () => {
  it('deletes a node with its subtree, keeps their history and publishes config.node.deleted.v1', async () => {
    const { world, remove } = setup();
    const result = unwrap(await remove.execute({ subject: admin, node: PATHS.acme, reason: 'contract ended' }));
    expect([
      result.deletedDescendants,
      world.uow.nodes.some((n) => n.path.startsWith(PATHS.acme)),
      world.uow.versionsOf('n-acme-billing').map((v) => v.change),
      world.events('config.node.deleted.v1')[0]?.data,
    ]).toEqual([
      ['n-acme-billing'],
      false,
      ['node.created', 'node.deleted'],
      expect.objectContaining({ path: PATHS.acme, version: 2, deletedDescendants: [{ nodeId: 'n-acme-billing', path: PATHS.acmeBilling }] }),
    ]);
  });

  it('makes a deleted node unknown to resolution', async () => {
    const { remove, resolve } = setup();
    await resolve.execute({ subject: admin, node: PATHS.acme });
    await remove.execute({ subject: admin, node: PATHS.acme, reason: 'x' });
    expect(unwrapErr(await resolve.execute({ subject: admin, node: PATHS.acme })).code).toBe('CONFIG.NODE_NOT_FOUND');
  });

  it('refuses to delete GLOBAL and leaves everything in place', async () => {
    const { world, remove } = setup();
    const error = unwrapErr(await remove.execute({ subject: admin, node: PATHS.global, reason: 'x' }));
    expect([error.code, world.uow.nodes.length]).toEqual(['CONFIG.ROOT_IMMUTABLE', 8]);
  });

  it('lets a tenant admin delete a sub-account but not its tenant node', async () => {
    const { remove } = setup();
    const root = await remove.execute({ subject: subjects.acmeAdmin, node: PATHS.acme, reason: 'x' });
    const sub = await remove.execute({ subject: subjects.acmeAdmin, node: PATHS.acmeBilling, reason: 'x' });
    expect([!root.ok && root.error.code, sub.ok]).toEqual(['CONFIG.ACCESS_DENIED', true]);
  });

  it('refuses a delete against a stale version', async () => {
    const { remove } = setup();
    expect(unwrapErr(await remove.execute({ subject: admin, node: PATHS.acme, reason: 'x', expectedVersion: 3 })).code).toBe('CONFIG.VERSION_CONFLICT');
  });
});

describe('GetNodeUseCase', () => {
  it('shows a node with its own overrides and locks', async () => {
    const { get, set } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: 'sms.max_parts_per_message', value: 3, reason: 'x' });
    const view = unwrap(await get.execute({ subject: subjects.acmeReader, node: PATHS.acme }));
    expect([view.overrides, view.locks, view.version, view.tenantId]).toEqual([
      { 'sms.max_parts_per_message': { value: 3, redacted: false } },
      [],
      2,
      'tenant-acme',
    ]);
  });

  it('redacts sensitive overrides for a caller without sensitive.read', async () => {
    const { get, set } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: 'webhook.signing_secret_ref', value: 'vault:acme', reason: 'x' });
    const view = unwrap(await get.execute({ subject: subjects.acmeAdmin, node: PATHS.acme }));
    expect(view.overrides['webhook.signing_secret_ref']).toEqual({ value: null, redacted: true });
  });

  it('shows sensitive overrides to a platform admin', async () => {
    const { get, set } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: 'webhook.signing_secret_ref', value: 'vault:acme', reason: 'x' });
    const view = unwrap(await get.execute({ subject: admin, node: PATHS.acme }));
    expect(view.overrides['webhook.signing_secret_ref']).toEqual({ value: 'vault:acme', redacted: false });
  });

  it('answers not found for a node the caller may not read', async () => {
    const { get } = setup();
    expect(unwrapErr(await get.execute({ subject: subjects.orchestrator, node: PATHS.acme })).code).toBe('CONFIG.NODE_NOT_FOUND');
  });
});
