import { describe, expect, it } from 'vitest';
import { AssignRoleUseCase } from '../../../src/application/assign-role.use-case.js';
import { ClearValueUseCase } from '../../../src/application/clear-value.use-case.js';
import { CreateNodeUseCase } from '../../../src/application/create-node.use-case.js';
import { RemoveLockUseCase } from '../../../src/application/remove-lock.use-case.js';
import { RollbackNodeUseCase } from '../../../src/application/rollback-node.use-case.js';
import { SetLockUseCase } from '../../../src/application/set-lock.use-case.js';
import { SetValueUseCase } from '../../../src/application/set-value.use-case.js';
import { PATHS, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

const PARTS = 'sms.max_parts_per_message';
const acme = subjects.acmeAdmin;

function setup() {
  const world = createWorld();
  return {
    world,
    set: new SetValueUseCase(world.deps),
    clear: new ClearValueUseCase(world.deps),
    lock: new SetLockUseCase(world.deps),
    unlock: new RemoveLockUseCase(world.deps),
    rollback: new RollbackNodeUseCase(world.deps),
    create: new CreateNodeUseCase(world.deps),
    assign: new AssignRoleUseCase(world.deps),
  };
}

describe('ABAC bypass attempts by a tenant admin', () => {
  it('may change its own tenant subtree (the baseline the other tests deviate from)', async () => {
    const { set } = setup();
    expect(unwrap(await set.execute({ subject: acme, node: PATHS.acmeBilling, key: PARTS, value: 3, reason: 'x' })).changed).toBe(true);
  });

  it("cannot write another tenant's node, and learns nothing about it", async () => {
    const { world, set } = setup();
    const error = unwrapErr(await set.execute({ subject: acme, node: PATHS.globexOps, key: PARTS, value: 3, reason: 'x' }));
    expect([error.code, world.node(PATHS.globexOps).version]).toEqual(['CONFIG.NODE_NOT_FOUND', 1]);
  });

  it("cannot write another tenant's node named by tenant id or node id", async () => {
    const { set } = setup();
    const results = await Promise.all(
      ['tenant:tenant-globex', 'node:n-globex-ops'].map((node) => set.execute({ subject: acme, node, key: PARTS, value: 3, reason: 'x' })),
    );
    expect(results.map((r) => !r.ok && r.error.code)).toEqual(['CONFIG.NODE_NOT_FOUND', 'CONFIG.NODE_NOT_FOUND']);
  });

  it('cannot write a node whose path looks like its own but belongs to another tenant', async () => {
    const { world, set } = setup();
    const error = unwrapErr(await set.execute({ subject: acme, node: PATHS.impostorAcme, key: PARTS, value: 3, reason: 'x' }));
    expect([error.code, world.node(PATHS.impostorAcme).version]).toEqual(['CONFIG.NODE_NOT_FOUND', 1]);
  });

  it.each([
    `${PATHS.acme}/../../tenant:globex`,
    `${PATHS.acme}/..%2F..%2Ftenant:globex`,
    `${PATHS.acme}%2F..%2F..%2Ftenant:globex`,
    '/GLOBAL/./tenant:globex',
    '/GLOBAL/tenant:globex/',
  ])('cannot reach another tenant through the path %s', async (node) => {
    const { world, set } = setup();
    const error = unwrapErr(await set.execute({ subject: acme, node, key: PARTS, value: 3, reason: 'x' }));
    expect([error.code, world.events()]).toEqual(['CONFIG.INVALID_PATH', []]);
  });

  it('cannot write the nodes above its tenant', async () => {
    const { set } = setup();
    const results = await Promise.all(
      [PATHS.global, PATHS.kabul].map((node) => set.execute({ subject: acme, node, key: PARTS, value: 3, reason: 'x' })),
    );
    expect(results.map((r) => !r.ok && r.error.code)).toEqual(['CONFIG.NODE_NOT_FOUND', 'CONFIG.NODE_NOT_FOUND']);
  });

  it('cannot override a key locked above its tenant', async () => {
    const { lock, set } = setup();
    await lock.execute({ subject: subjects.platformAdmin, node: PATHS.kabul, key: PARTS, reason: 'regulator cap' });
    const error = unwrapErr(await set.execute({ subject: acme, node: PATHS.acme, key: PARTS, value: 9, reason: 'x' }));
    expect(error).toMatchObject({ code: 'CONFIG.KEY_LOCKED', details: { lockedAt: PATHS.kabul } });
  });

  it('cannot remove a lock held above its tenant', async () => {
    const { world, lock, unlock } = setup();
    await lock.execute({ subject: subjects.platformAdmin, node: PATHS.kabul, key: PARTS, reason: 'regulator cap' });
    const error = unwrapErr(await unlock.execute({ subject: acme, node: PATHS.kabul, key: PARTS, reason: 'x' }));
    expect([error.code, world.node(PATHS.kabul).locks]).toEqual(['CONFIG.NODE_NOT_FOUND', [PARTS]]);
  });

  it('gains nothing from removing a (non-existent) lock at its own node when the lock sits above', async () => {
    const { lock, unlock, set } = setup();
    await lock.execute({ subject: subjects.platformAdmin, node: PATHS.kabul, key: PARTS, reason: 'cap' });
    await unlock.execute({ subject: acme, node: PATHS.acme, key: PARTS, reason: 'x' });
    expect(unwrapErr(await set.execute({ subject: acme, node: PATHS.acme, key: PARTS, value: 9, reason: 'x' })).code).toBe('CONFIG.KEY_LOCKED');
  });

  it('cannot bring back an override of a locked key by rolling back to a version before the lock', async () => {
    const { world, lock, set, clear, rollback } = setup();
    await set.execute({ subject: acme, node: PATHS.acme, key: PARTS, value: 9, reason: 'v2' });
    await clear.execute({ subject: acme, node: PATHS.acme, key: PARTS, reason: 'v3' });
    await lock.execute({ subject: subjects.platformAdmin, node: PATHS.kabul, key: PARTS, reason: 'cap' });
    const error = unwrapErr(await rollback.execute({ subject: acme, node: PATHS.acme, toVersion: 2, reason: 'sneak' }));
    expect([error.code, world.node(PATHS.acme).overrides]).toEqual(['CONFIG.ROLLBACK_REJECTED', {}]);
  });

  it('cannot create a node under another tenant', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: acme, parent: PATHS.globex, level: 'sub-account', name: 'x', reason: 'x' }));
    expect(error.code).toBe('CONFIG.PARENT_NOT_FOUND');
  });

  it('cannot create a tenant node of its own next to its tenant', async () => {
    const { create } = setup();
    const error = unwrapErr(await create.execute({ subject: acme, parent: PATHS.kabul, level: 'tenant', name: 'acme2', tenantId: 'tenant-acme', reason: 'x' }));
    expect(error.code).toBe('CONFIG.PARENT_NOT_FOUND');
  });

  it('cannot make itself platform admin', async () => {
    const { assign } = setup();
    const error = unwrapErr(await assign.execute({ subject: acme, assignee: acme.id, role: 'platform-admin', tenantId: 'tenant-acme', reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('cannot give someone a role in another tenant', async () => {
    const { assign } = setup();
    const error = unwrapErr(await assign.execute({ subject: acme, assignee: 'user:x', role: 'tenant-admin', tenantId: 'tenant-globex', reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('cannot give someone a platform-wide role', async () => {
    const { assign } = setup();
    const error = unwrapErr(await assign.execute({ subject: acme, assignee: 'user:x', role: 'read-only', tenantId: null, reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });
});

describe('ABAC bypass attempts by services and readers', () => {
  it('a service cannot write, even its own keys', async () => {
    const { set } = setup();
    const error = unwrapErr(await set.execute({ subject: subjects.orchestrator, node: PATHS.acme, key: PARTS, value: 3, reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('a read-only subject cannot write its own tenant', async () => {
    const { set } = setup();
    const error = unwrapErr(await set.execute({ subject: subjects.acmeReader, node: PATHS.acme, key: PARTS, value: 3, reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('claiming a role that does not exist grants nothing', async () => {
    const { set } = setup();
    const error = unwrapErr(
      await set.execute({ subject: { ...subjects.nobody, roles: ['admin', 'root', '*'] }, node: PATHS.acme, key: PARTS, value: 3, reason: 'x' }),
    );
    expect(error.code).toBe('CONFIG.NODE_NOT_FOUND');
  });
});
