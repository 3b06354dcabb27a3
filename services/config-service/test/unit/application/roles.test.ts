import { describe, expect, it } from 'vitest';
import { AssignRoleUseCase } from '../../../src/application/assign-role.use-case.js';
import { PutRoleUseCase } from '../../../src/application/put-role.use-case.js';
import { RemoveRoleUseCase } from '../../../src/application/remove-role.use-case.js';
import { RevokeRoleUseCase } from '../../../src/application/revoke-role.use-case.js';
import { SetValueUseCase } from '../../../src/application/set-value.use-case.js';
import type { Grant } from '../../../src/domain/access.js';
import { PATHS, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

const admin = subjects.platformAdmin;
const editorGrants: Grant[] = [{ actions: ['node.read', 'value.set'], scope: 'own-tenant', keys: 'all' }];

function setup() {
  const world = createWorld();
  return {
    world,
    assign: new AssignRoleUseCase(world.deps),
    revoke: new RevokeRoleUseCase(world.deps),
    put: new PutRoleUseCase(world.deps),
    remove: new RemoveRoleUseCase(world.deps),
    set: new SetValueUseCase(world.deps),
  };
}

const editor = { id: 'user:editor', roles: ['billing-editor'], tenantId: 'tenant-acme', service: null };

describe('AssignRoleUseCase and RevokeRoleUseCase', () => {
  it('lets a tenant admin give a tenant role inside its tenant and publishes config.role.assigned.v1', async () => {
    const { world, assign } = setup();
    const result = unwrap(await assign.execute({ subject: subjects.acmeAdmin, assignee: 'user:new', role: 'read-only', tenantId: 'tenant-acme', reason: 'new hire' }));
    expect([result.changed, result.assignment.assignedBy, world.events('config.role.assigned.v1')[0]?.data]).toEqual([
      true,
      'user:acme-admin',
      expect.objectContaining({ subjectId: 'user:new', role: 'read-only', tenantId: 'tenant-acme', reason: 'new hire' }),
    ]);
  });

  it('changes nothing when the role is already assigned', async () => {
    const { world, assign } = setup();
    const request = { subject: admin, assignee: 'user:new', role: 'read-only', tenantId: null, reason: 'x' };
    await assign.execute(request);
    const again = unwrap(await assign.execute(request));
    expect([again.changed, world.events('config.role.assigned.v1').length]).toEqual([false, 1]);
  });

  it('refuses an unknown role', async () => {
    const { assign } = setup();
    expect(unwrapErr(await assign.execute({ subject: admin, assignee: 'u', role: 'god', tenantId: null, reason: 'x' })).code).toBe('CONFIG.ROLE_NOT_FOUND');
  });

  it.each([
    ['an empty assignee', { assignee: ' ', tenantId: null }, 'assignee'],
    ['a malformed tenant', { assignee: 'u', tenantId: '../x' }, 'tenantId'],
  ])('refuses %s', async (_label, fields, field) => {
    const { assign } = setup();
    expect(unwrapErr(await assign.execute({ subject: admin, role: 'read-only', reason: 'x', ...fields })).details).toEqual({ field });
  });

  it('revokes an assignment and publishes config.role.revoked.v1', async () => {
    const { world, assign, revoke } = setup();
    const request = { subject: subjects.acmeAdmin, assignee: 'user:new', role: 'read-only', tenantId: 'tenant-acme', reason: 'x' };
    await assign.execute(request);
    const result = unwrap(await revoke.execute({ ...request, reason: 'left' }));
    expect([result.changed, world.events('config.role.revoked.v1')[0]?.data]).toEqual([true, expect.objectContaining({ subjectId: 'user:new', reason: 'left' })]);
  });

  it('changes nothing when revoking an assignment that does not exist', async () => {
    const { world, revoke } = setup();
    const result = unwrap(await revoke.execute({ subject: admin, assignee: 'user:none', role: 'read-only', tenantId: null, reason: 'x' }));
    expect([result.changed, world.events()]).toEqual([false, []]);
  });

  it("refuses a tenant admin revoking an assignment in another tenant", async () => {
    const { assign, revoke } = setup();
    await assign.execute({ subject: admin, assignee: 'user:g', role: 'read-only', tenantId: 'tenant-globex', reason: 'x' });
    const error = unwrapErr(await revoke.execute({ subject: subjects.acmeAdmin, assignee: 'user:g', role: 'read-only', tenantId: 'tenant-globex', reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('refuses a revoke of an unknown role', async () => {
    const { revoke } = setup();
    expect(unwrapErr(await revoke.execute({ subject: admin, assignee: 'u', role: 'god', tenantId: null, reason: 'x' })).code).toBe('CONFIG.ROLE_NOT_FOUND');
  });
});

describe('PutRoleUseCase and RemoveRoleUseCase', () => {
  it('creates a custom role, publishes config.policy.changed.v1 and applies it at once', async () => {
    const { world, put, set } = setup();
    const role = unwrap(await put.execute({ subject: admin, name: 'billing-editor', description: 'edits', tenantAssignable: true, grants: editorGrants, reason: 'finance' }));
    const write = await set.execute({ subject: editor, node: PATHS.acme, key: 'sms.max_parts_per_message', value: 2, reason: 'x' });
    expect([role.version, world.events('config.policy.changed.v1')[0]?.data, write.ok]).toEqual([
      1,
      expect.objectContaining({ role: 'billing-editor', change: 'created', version: 1, before: null }),
      true,
    ]);
  });

  it('updates a custom role to its next version', async () => {
    const { world, put } = setup();
    await put.execute({ subject: admin, name: 'billing-editor', description: 'edits', tenantAssignable: true, grants: editorGrants, reason: 'x' });
    const updated = unwrap(
      await put.execute({ subject: admin, name: 'billing-editor', description: 'reads', tenantAssignable: true, grants: [{ ...editorGrants[0]!, actions: ['node.read'] }], reason: 'y', expectedVersion: 1 }),
    );
    expect([updated.version, world.events('config.policy.changed.v1')[1]?.data]).toEqual([2, expect.objectContaining({ change: 'updated' })]);
  });

  it('refuses a put against a stale version', async () => {
    const { put } = setup();
    await put.execute({ subject: admin, name: 'billing-editor', description: '', tenantAssignable: true, grants: editorGrants, reason: 'x' });
    const error = unwrapErr(await put.execute({ subject: admin, name: 'billing-editor', description: '', tenantAssignable: true, grants: editorGrants, reason: 'x', expectedVersion: null }));
    expect(error.code).toBe('CONFIG.VERSION_CONFLICT');
  });

  it('refuses to change a system role', async () => {
    const { put } = setup();
    const error = unwrapErr(await put.execute({ subject: admin, name: 'tenant-admin', description: '', tenantAssignable: true, grants: editorGrants, reason: 'x' }));
    expect(error.code).toBe('CONFIG.SYSTEM_ROLE_IMMUTABLE');
  });

  it('refuses an invalid role', async () => {
    const { put } = setup();
    const error = unwrapErr(await put.execute({ subject: admin, name: 'billing-editor', description: '', tenantAssignable: true, grants: [], reason: 'x' }));
    expect(error.code).toBe('CONFIG.INVALID_ROLE');
  });

  it('refuses a tenant admin changing the policy', async () => {
    const { put } = setup();
    const error = unwrapErr(await put.execute({ subject: subjects.acmeAdmin, name: 'billing-editor', description: '', tenantAssignable: true, grants: editorGrants, reason: 'x' }));
    expect(error.code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('removes a custom role so that it grants nothing any more', async () => {
    const { world, put, remove, set } = setup();
    await put.execute({ subject: admin, name: 'billing-editor', description: '', tenantAssignable: true, grants: editorGrants, reason: 'x' });
    unwrap(await remove.execute({ subject: admin, name: 'billing-editor', reason: 'gone' }));
    const write = await set.execute({ subject: editor, node: PATHS.acme, key: 'sms.max_parts_per_message', value: 2, reason: 'x' });
    expect([world.events('config.policy.changed.v1')[1]?.data, write.ok]).toEqual([
      expect.objectContaining({ change: 'removed', version: 2, after: null }),
      false,
    ]);
  });

  it('refuses to remove a system role', async () => {
    const { remove } = setup();
    expect(unwrapErr(await remove.execute({ subject: admin, name: 'service', reason: 'x' })).code).toBe('CONFIG.SYSTEM_ROLE_IMMUTABLE');
  });

  it('refuses to remove an unknown role', async () => {
    const { remove } = setup();
    expect(unwrapErr(await remove.execute({ subject: admin, name: 'ghost', reason: 'x' })).code).toBe('CONFIG.ROLE_NOT_FOUND');
  });
});
