import { describe, expect, it } from 'vitest';
import { CedarAccessPolicy } from '../../../src/adapters/authorization/cedar-access-policy.js';
import { policySetFor, rolePolicies } from '../../../src/adapters/authorization/cedar-policies.js';
import { ACCESS_ACTIONS, KEY_ACTIONS, NODE_ACTIONS, POLICY_ACTIONS, ROLE_ACTIONS } from '../../../src/domain/access.js';
import type { AccessAction, RoleDefinition, Subject } from '../../../src/domain/access.js';
import { systemRoles } from '../../../src/domain/config-seed.js';
import type { AccessResource, KeyAttributes, NodeAttributes } from '../../../src/application/ports/access-policy.port.js';
import { subjects } from '../../support/world.js';

const policy = new CedarAccessPolicy(systemRoles);

const node = (id: string, path: string, tenantId: string | null, isTenantRoot = false): NodeAttributes => ({
  id,
  path,
  level: isTenantRoot ? 'tenant' : tenantId === null ? 'region' : 'sub-account',
  tenantId,
  isTenantRoot,
});
const orchestratorKey: KeyAttributes = { key: 'sms.max_parts_per_message', ownerService: 'sms-orchestrator', sensitive: false };
const routingKey: KeyAttributes = { key: 'routing.failover_timeout', ownerService: 'routing-engine', sensitive: false };

const resources = {
  'the GLOBAL node': { kind: 'node', node: node('g', '/GLOBAL', null) },
  "acme's tenant node": { kind: 'node', node: node('a', '/GLOBAL/region:kabul/tenant:acme', 'tenant-acme', true) },
  "an acme sub-account": { kind: 'node', node: node('s', '/GLOBAL/region:kabul/tenant:acme/sub-account:billing', 'tenant-acme') },
  "a globex sub-account": { kind: 'node', node: node('x', '/GLOBAL/tenant:globex/sub-account:ops', 'tenant-globex') },
  'an orchestrator key': { kind: 'key', key: orchestratorKey },
  'a routing key': { kind: 'key', key: routingKey },
  'a tenant-admin assignment in acme': { kind: 'role-assignment', role: 'tenant-admin', tenantId: 'tenant-acme', tenantAssignable: true },
  'a platform-admin assignment in acme': { kind: 'role-assignment', role: 'platform-admin', tenantId: 'tenant-acme', tenantAssignable: false },
  'a tenant-admin assignment in globex': { kind: 'role-assignment', role: 'tenant-admin', tenantId: 'tenant-globex', tenantAssignable: true },
  'a platform-wide read-only assignment': { kind: 'role-assignment', role: 'read-only', tenantId: null, tenantAssignable: true },
  'the policy': { kind: 'policy', role: null },
} satisfies Record<string, AccessResource>;
type ResourceName = keyof typeof resources;

const TENANT_ADMIN_ON_ROOT: AccessAction[] = [
  'node.read',
  'node.create',
  'history.read',
  'node.rollback',
  'config.resolve',
  'value.set',
  'value.clear',
  'lock.set',
  'lock.remove',
];
const READ: AccessAction[] = ['node.read', 'history.read', 'config.resolve'];

/** What each system role may do, per resource; everything not listed is denied. */
const matrix: Record<keyof typeof subjects, Partial<Record<ResourceName, readonly AccessAction[]>>> = {
  platformAdmin: {
    'the GLOBAL node': NODE_ACTIONS,
    "acme's tenant node": NODE_ACTIONS,
    'an acme sub-account': NODE_ACTIONS,
    'a globex sub-account': NODE_ACTIONS,
    'an orchestrator key': KEY_ACTIONS,
    'a routing key': KEY_ACTIONS,
    'a tenant-admin assignment in acme': ROLE_ACTIONS,
    'a platform-admin assignment in acme': ROLE_ACTIONS,
    'a tenant-admin assignment in globex': ROLE_ACTIONS,
    'a platform-wide read-only assignment': ROLE_ACTIONS,
    'the policy': POLICY_ACTIONS,
  },
  acmeAdmin: {
    "acme's tenant node": TENANT_ADMIN_ON_ROOT,
    'an acme sub-account': [...TENANT_ADMIN_ON_ROOT, 'node.move', 'node.delete'],
    'an orchestrator key': ['key.read'],
    'a routing key': ['key.read'],
    'a tenant-admin assignment in acme': ROLE_ACTIONS,
  },
  globexAdmin: {
    'a globex sub-account': [...TENANT_ADMIN_ON_ROOT, 'node.move', 'node.delete'],
    'an orchestrator key': ['key.read'],
    'a routing key': ['key.read'],
    'a tenant-admin assignment in globex': ROLE_ACTIONS,
  },
  acmeReader: {
    "acme's tenant node": READ,
    'an acme sub-account': READ,
    'an orchestrator key': ['key.read'],
    'a routing key': ['key.read'],
    'a tenant-admin assignment in acme': ['role.read'],
  },
  auditor: {
    'the GLOBAL node': READ,
    "acme's tenant node": READ,
    'an acme sub-account': READ,
    'a globex sub-account': READ,
    'an orchestrator key': ['key.read'],
    'a routing key': ['key.read'],
    'a tenant-admin assignment in acme': ['role.read'],
    'a platform-admin assignment in acme': ['role.read'],
    'a tenant-admin assignment in globex': ['role.read'],
    'a platform-wide read-only assignment': ['role.read'],
    'the policy': ['policy.read'],
  },
  orchestrator: {
    'the GLOBAL node': ['config.resolve', 'sensitive.read'],
    "acme's tenant node": ['config.resolve', 'sensitive.read'],
    'an acme sub-account': ['config.resolve', 'sensitive.read'],
    'a globex sub-account': ['config.resolve', 'sensitive.read'],
    'an orchestrator key': ['key.read'],
  },
  routing: {
    'the GLOBAL node': ['config.resolve', 'sensitive.read'],
    "acme's tenant node": ['config.resolve', 'sensitive.read'],
    'an acme sub-account': ['config.resolve', 'sensitive.read'],
    'a globex sub-account': ['config.resolve', 'sensitive.read'],
    'a routing key': ['key.read'],
  },
  nobody: {},
};

/** The actions that apply to a resource's kind; the others are denied outright (tested below). */
const actionsFor = (resource: AccessResource): readonly AccessAction[] =>
  ({ node: NODE_ACTIONS, key: KEY_ACTIONS, 'role-assignment': ROLE_ACTIONS, policy: POLICY_ACTIONS })[resource.kind];

const cells = Object.entries(matrix).flatMap(([subjectName, allowedByResource]) =>
  (Object.keys(resources) as ResourceName[]).flatMap((resourceName) =>
    actionsFor(resources[resourceName]).map((action) => ({
      subjectName,
      subject: subjects[subjectName as keyof typeof subjects],
      resourceName,
      action,
      allowed: (allowedByResource[resourceName] ?? []).includes(action),
    })),
  ),
);

describe('CedarAccessPolicy role matrix (every role × action × resource)', () => {
  it.each(cells)('$subjectName: $action on $resourceName → allowed=$allowed', ({ subject, action, resourceName, allowed }) => {
    expect(policy.decide(subject, action, resources[resourceName]).allowed).toBe(allowed);
  });
});

const acmeNode = resources["acme's tenant node"];

describe('CedarAccessPolicy per-key decisions', () => {
  it('lets a service resolve a key it owns', () => {
    expect(policy.decide(subjects.orchestrator, 'config.resolve', { ...acmeNode, key: orchestratorKey }).allowed).toBe(true);
  });

  it('refuses a service a key another service owns', () => {
    expect(policy.decide(subjects.orchestrator, 'config.resolve', { ...acmeNode, key: routingKey }).allowed).toBe(false);
  });

  it('refuses a service a key that no service owns', () => {
    const shared = { key: 'platform.name', ownerService: null, sensitive: false };
    expect(policy.decide(subjects.orchestrator, 'config.resolve', { ...acmeNode, key: shared }).allowed).toBe(false);
  });

  it('lets a tenant admin resolve any key in its tenant', () => {
    expect(policy.decide(subjects.acmeAdmin, 'config.resolve', { ...acmeNode, key: routingKey }).allowed).toBe(true);
  });
});

describe('CedarAccessPolicy guardrails and bypass attempts', () => {
  it("refuses a tenant admin a node whose path looks like its tenant's but belongs to another tenant", () => {
    const lookalike: AccessResource = { kind: 'node', node: node('i', '/GLOBAL/region:herat/tenant:acme', 'tenant-impostor', true) };
    expect(policy.decide(subjects.acmeAdmin, 'value.set', lookalike)).toEqual({ allowed: false, reason: 'forbidden by guardrail:tenant-boundary' });
  });

  it('decides on the tenant attribute, not the path: an acme-looking path with acme tenant is allowed whatever the path says', () => {
    const odd: AccessResource = { kind: 'node', node: node('z', '/GLOBAL/tenant:globex', 'tenant-acme', false) };
    expect(policy.decide(subjects.acmeAdmin, 'node.read', odd).allowed).toBe(true);
  });

  it('keeps a tenant-bound subject inside its tenant even with the platform-admin role', () => {
    const confused: Subject = { id: 'u', roles: ['platform-admin'], tenantId: 'tenant-acme', service: null };
    expect(policy.decide(confused, 'node.read', resources['a globex sub-account']).reason).toBe('forbidden by guardrail:tenant-boundary');
  });

  it('keeps a tenant-bound platform-admin away from the key catalogue and the policy', () => {
    const confused: Subject = { id: 'u', roles: ['platform-admin'], tenantId: 'tenant-acme', service: null };
    expect([
      policy.decide(confused, 'key.define', resources['an orchestrator key']).allowed,
      policy.decide(confused, 'policy.change', resources['the policy']).allowed,
    ]).toEqual([false, false]);
  });

  it('refuses every write to a service identity even with the platform-admin role', () => {
    const confused: Subject = { id: 'svc', roles: ['platform-admin', 'service'], tenantId: null, service: 'sms-orchestrator' };
    expect(policy.decide(confused, 'value.set', acmeNode)).toEqual({ allowed: false, reason: 'forbidden by guardrail:services-read-only' });
  });

  it('ignores roles that are not defined', () => {
    expect(policy.decide({ ...subjects.nobody, roles: ['root', 'admin'] }, 'node.read', acmeNode)).toEqual({
      allowed: false,
      reason: 'no policy permits it',
    });
  });

  it('denies an action that does not apply to the resource kind', () => {
    expect(policy.decide(subjects.platformAdmin, 'key.define', acmeNode)).toEqual({ allowed: false, reason: 'key.define does not apply to a node' });
  });

  it('denies a platform admin every action outside each resource kind', () => {
    const misapplied = Object.values(resources).flatMap((resource) =>
      ACCESS_ACTIONS.filter((a) => !actionsFor(resource).includes(a)).map((a) => policy.decide(subjects.platformAdmin, a, resource).allowed),
    );
    expect(misapplied.length > 0 && misapplied.every((allowed) => !allowed)).toBe(true);
  });

  it('names the permitting policy in an allow', () => {
    expect(policy.decide(subjects.acmeAdmin, 'value.set', acmeNode).reason).toBe('permitted by role:tenant-admin/grant:0/node');
  });
});

describe('CedarAccessPolicy with custom roles', () => {
  const custom: RoleDefinition = {
    name: 'billing-editor',
    description: '',
    system: false,
    tenantAssignable: true,
    grants: [{ actions: ['node.read', 'value.set'], scope: 'everywhere', keys: 'all' }],
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it('applies a role loaded later', () => {
    const engine = new CedarAccessPolicy(systemRoles);
    engine.loadRoles([...systemRoles, custom]);
    const editor: Subject = { id: 'u', roles: ['billing-editor'], tenantId: 'tenant-acme', service: null };
    expect(engine.decide(editor, 'value.set', acmeNode).allowed).toBe(true);
  });

  it("keeps a tenant-bound holder of an 'everywhere' custom role inside its tenant", () => {
    const engine = new CedarAccessPolicy([...systemRoles, custom]);
    const editor: Subject = { id: 'u', roles: ['billing-editor'], tenantId: 'tenant-acme', service: null };
    expect(engine.decide(editor, 'value.set', resources['a globex sub-account']).allowed).toBe(false);
  });

  it('forgets a role that is no longer loaded', () => {
    const engine = new CedarAccessPolicy([...systemRoles, custom]);
    engine.loadRoles(systemRoles);
    const editor: Subject = { id: 'u', roles: ['billing-editor'], tenantId: null, service: null };
    expect(engine.decide(editor, 'value.set', acmeNode).allowed).toBe(false);
  });

  it('generates no policy for a tenant-scoped grant on the policy resource', () => {
    const scoped: RoleDefinition = { ...custom, grants: [{ actions: ['policy.read'], scope: 'own-tenant', keys: 'all' }] };
    expect(rolePolicies(scoped)).toEqual({});
  });

  it('refuses to turn a role with a malformed name into a policy', () => {
    expect(() => rolePolicies({ ...custom, name: 'x") || true; //' })).toThrow(/cannot be turned into a policy/);
  });

  it('always includes the four guardrails', () => {
    expect(Object.keys(policySetFor([])).sort()).toEqual([
      'guardrail:platform-only',
      'guardrail:services-read-only',
      'guardrail:tenant-boundary',
      'guardrail:tenant-role-assignments',
    ]);
  });
});
