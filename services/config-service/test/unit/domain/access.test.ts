import { describe, expect, it } from 'vitest';
import { isNodeVisibleTo, validateRole, validateSubject } from '../../../src/domain/access.js';
import type { AccessAction, GrantKeys, GrantScope } from '../../../src/domain/access.js';
import { systemRoles } from '../../../src/domain/config-seed.js';

const role = {
  name: 'billing-editor',
  description: 'edits billing keys',
  system: false,
  tenantAssignable: true,
  grants: [{ actions: ['value.set'] as AccessAction[], scope: 'own-tenant' as GrantScope, keys: 'all' as GrantKeys }],
};

const fieldOf = (r: typeof role): unknown => {
  const checked = validateRole(r);
  return checked.ok ? 'valid' : checked.error.details?.['field'];
};

describe('validateRole', () => {
  it('accepts every seeded system role', () => {
    expect(systemRoles.map((r) => validateRole(r).ok)).toEqual([true, true, true, true]);
  });

  it.each([
    ['a malformed name', { ...role, name: 'Billing Editor' }, 'name'],
    ['a long description', { ...role, description: 'x'.repeat(501) }, 'description'],
    ['no grants', { ...role, grants: [] }, 'grants'],
    ['a grant without actions', { ...role, grants: [{ ...role.grants[0]!, actions: [] }] }, 'grants[0].actions'],
    ['an unknown action', { ...role, grants: [{ ...role.grants[0]!, actions: ['value.delete' as AccessAction] }] }, 'grants[0].actions'],
    ['an unknown scope', { ...role, grants: [{ ...role.grants[0]!, scope: 'galaxy' as GrantScope }] }, 'grants[0].scope'],
    ['an unknown key filter', { ...role, grants: [{ ...role.grants[0]!, keys: 'some' as GrantKeys }] }, 'grants[0].keys'],
  ])('refuses %s', (_label, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });
});

describe('validateSubject', () => {
  it.each([
    ['an empty id', { id: ' ', roles: [], tenantId: null, service: null }, 'subject.id'],
    ['a malformed service', { id: 's', roles: [], tenantId: null, service: 'Bad Service' }, 'subject.service'],
    ['an empty tenant', { id: 's', roles: [], tenantId: '', service: null }, 'subject.tenantId'],
  ])('refuses %s', (_label, subject, field) => {
    const checked = validateSubject(subject);
    expect(!checked.ok && checked.error.details).toEqual({ field });
  });
});

describe('isNodeVisibleTo', () => {
  const tenantSubject = { id: 'u', roles: [], tenantId: 'acme', service: null };

  it("shows a tenant-bound subject its own tenant's nodes", () => {
    expect(isNodeVisibleTo(tenantSubject, { tenantId: 'acme' })).toBe(true);
  });

  it("hides another tenant's nodes from a tenant-bound subject", () => {
    expect(isNodeVisibleTo(tenantSubject, { tenantId: 'globex' })).toBe(false);
  });

  it('hides the nodes above its tenant from a tenant-bound subject', () => {
    expect(isNodeVisibleTo(tenantSubject, { tenantId: null })).toBe(false);
  });

  it('leaves a platform subject to the policy', () => {
    expect(isNodeVisibleTo({ ...tenantSubject, tenantId: null }, { tenantId: 'globex' })).toBe(true);
  });
});
