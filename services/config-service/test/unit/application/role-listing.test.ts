import { describe, expect, it } from 'vitest';
import { AssignRoleUseCase } from '../../../src/application/assign-role.use-case.js';
import { ListRoleAssignmentsUseCase } from '../../../src/application/list-role-assignments.use-case.js';
import { ListRolesUseCase } from '../../../src/application/list-roles.use-case.js';
import { ACME, GLOBEX, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

async function worldWithAssignments() {
  const world = createWorld();
  const assign = new AssignRoleUseCase(world.deps);
  for (const [assignee, role, tenantId] of [
    ['user:a', 'read-only', ACME],
    ['user:b', 'tenant-admin', ACME],
    ['user:c', 'read-only', GLOBEX],
    ['user:d', 'platform-admin', null],
  ] as const) {
    unwrap(await assign.execute({ subject: subjects.platformAdmin, assignee, role, tenantId, reason: 'arrange' }));
  }
  return { world, list: new ListRoleAssignmentsUseCase(world.deps), roles: new ListRolesUseCase(world.deps) };
}

describe('ListRoleAssignmentsUseCase', () => {
  it('shows a platform administrator every assignment', async () => {
    const { list } = await worldWithAssignments();

    const all = unwrap(await list.execute({ subject: subjects.platformAdmin }));

    expect(all.map((a) => a.subjectId)).toEqual(['user:a', 'user:b', 'user:c', 'user:d']);
  });

  it('confines a tenant administrator to its own tenant’s assignments', async () => {
    const { list } = await worldWithAssignments();

    const own = unwrap(await list.execute({ subject: subjects.acmeAdmin }));

    expect(own.map((a) => [a.subjectId, a.tenantId])).toEqual([
      ['user:a', ACME],
      ['user:b', ACME],
    ]);
  });

  it('answers an empty list when a tenant administrator asks for another tenant', async () => {
    const { list, world } = await worldWithAssignments();

    const other = unwrap(await list.execute({ subject: subjects.acmeAdmin, tenantId: GLOBEX }));

    expect([other, world.uow.transactions.at(-1)?.tenantId]).toEqual([[], null]);
  });

  it('filters by assignee and role', async () => {
    const { list } = await worldWithAssignments();

    const filtered = unwrap(await list.execute({ subject: subjects.platformAdmin, role: 'read-only', assignee: 'user:c' }));

    expect(filtered.map((a) => a.tenantId)).toEqual([GLOBEX]);
  });

  it('runs the listing of a tenant-bound caller in that tenant’s transaction', async () => {
    const { list, world } = await worldWithAssignments();

    await list.execute({ subject: subjects.acmeReader });

    expect(world.uow.transactions.at(-1)).toEqual({ tenantId: ACME, readOnly: true });
  });
});

describe('ListRolesUseCase', () => {
  it('lists the system roles to a platform administrator', async () => {
    const { roles } = await worldWithAssignments();

    const listed = unwrap(await roles.execute({ subject: subjects.platformAdmin }));

    expect(listed.map((r) => r.name)).toEqual(['platform-admin', 'read-only', 'service', 'tenant-admin']);
  });

  it('refuses a tenant-bound caller, who may not read the policy', async () => {
    const { roles } = await worldWithAssignments();

    const refused = unwrapErr(await roles.execute({ subject: subjects.acmeAdmin }));

    expect(refused.code).toBe('CONFIG.ACCESS_DENIED');
  });
});
