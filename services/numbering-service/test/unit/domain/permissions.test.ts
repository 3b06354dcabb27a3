import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, authorize, grantOf, isRole, principalOf } from '../../../src/index.js';
import type { Actor, Grant, Permission, Role } from '../../../src/index.js';

// The role matrix as the docs state it (docs/domain-model.md, "Roles and permissions"). `-` is no grant.
const MATRIX = `
permission          admin commerce compliance auditor tenant tenant_viewer service system
lease.validate      any   -        -          -       -      -             any     -
number.lookup       any   any      any        any     any    any           any     any
number.reserve      any   any      -          -       own    -             -       -
number.assign       any   any      -          -       own    -             -       -
number.release      any   any      -          -       own    -             -       -
lease.renew         any   any      -          -       own    -             -       any
number.expire       any   -        -          -       -      -             -       any
number.recall       any   -        any        -       -      -             -       any
recall.resolve      any   -        any        -       -      -             -       any
quarantine.end      any   -        -          -       -      -             -       any
number.retire       any   any      any        -       -      -             -       -
holdings.list       any   any      any        any     own    own           -       any
inventory.import    any   any      -          -       -      -             -       -
catalog.read        any   any      any        any     -      -             any     -
catalog.manage      any   any      -          -       -      -             -       -
tenant_pool.read    any   any      any        any     own    own           -       -
tenant_pool.manage  any   any      -          -       -      -             -       -
audit.read          any   -        any        any     -      -             -       -
audit.verify        any   -        any        any     -      -             -       any
export.read         any   -        any        any     -      -             -       -
export.run          any   -        any        -       -      -             -       any
`;

const rows = MATRIX.trim().split('\n').map((line) => line.trim().split(/\s+/));
const header = rows[0]?.slice(1) ?? [];
const expected = new Map<string, Grant | null>();
for (const row of rows.slice(1)) {
  const [permission, ...grants] = row;
  grants.forEach((grant, i) => expected.set(`${header[i]}/${permission}`, grant === '-' ? null : (grant as Grant)));
}

const tenant: Actor = { role: 'tenant', id: 'u1', tenantId: 'tenant-a' };

describe('permission matrix', () => {
  it('lists every role and every permission', () => {
    expect([header, rows.slice(1).map((r) => r[0])]).toEqual([[...ROLES], [...PERMISSIONS]]);
  });

  const cells = ROLES.flatMap((role) => PERMISSIONS.map((permission) => ({ role, permission })));
  it.each(cells)('gives $role the documented grant for $permission', ({ role, permission }: { role: Role; permission: Permission }) => {
    expect(grantOf(role, permission)).toBe(expected.get(`${role}/${permission}`));
  });
});

describe('authorize', () => {
  it('lets a tenant act on its own resources under an own grant', () => {
    expect(authorize(tenant, 'number.reserve', 'tenant-a').ok).toBe(true);
  });

  it('refuses a tenant acting for another tenant', () => {
    expect(authorize(tenant, 'number.reserve', 'tenant-b')).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });

  it('refuses an own grant when the resource has no tenant', () => {
    expect(authorize(tenant, 'holdings.list').ok).toBe(false);
  });

  it('lets an any grant act for every tenant', () => {
    expect(authorize({ role: 'commerce', id: 's1' }, 'number.reserve', 'tenant-b').ok).toBe(true);
  });

  it('refuses a role without the permission', () => {
    expect(authorize({ role: 'auditor', id: 'a1' }, 'number.recall')).toMatchObject({
      ok: false,
      error: { code: 'NUMBERING.FORBIDDEN', details: { permission: 'number.recall' } },
    });
  });

  it('refuses a tenant viewer changing its own holdings', () => {
    expect(authorize({ role: 'tenant_viewer', id: 'v', tenantId: 'tenant-a' }, 'number.release', 'tenant-a').ok).toBe(false);
  });
});

describe('principals', () => {
  it('scope a tenant user by tenant and user', () => {
    expect(principalOf(tenant)).toBe('tenant:tenant-a:u1');
  });

  it('scope a staff or machine actor by role and id', () => {
    expect(principalOf({ role: 'service', id: 'sms-orchestrator' })).toBe('service:sms-orchestrator');
  });

  it('recognise role names', () => {
    expect([isRole('compliance'), isRole('root')]).toEqual([true, false]);
  });
});
