import { KEY_ACTIONS, NODE_ACTIONS, POLICY_ACTIONS, ROLE_ACTIONS, WRITE_ACTIONS, isRoleName } from '../../domain/access.js';
import type { AccessAction, Grant, GrantScope, RoleDefinition } from '../../domain/access.js';

/** The resource kinds of the model, with the Cedar entity type and the actions that apply to each. */
export const RESOURCE_KINDS = {
  node: { entityType: 'Config::Node', actions: NODE_ACTIONS as readonly AccessAction[] },
  key: { entityType: 'Config::Key', actions: KEY_ACTIONS as readonly AccessAction[] },
  'role-assignment': { entityType: 'Config::RoleAssignment', actions: ROLE_ACTIONS as readonly AccessAction[] },
  policy: { entityType: 'Config::Policy', actions: POLICY_ACTIONS as readonly AccessAction[] },
} as const;
export type ResourceKind = keyof typeof RESOURCE_KINDS;

const actionRef = (action: AccessAction): string => `Config::Action::${JSON.stringify(action)}`;
const actionList = (actions: readonly AccessAction[]): string => `[${actions.map(actionRef).join(', ')}]`;

const OWN_TENANT = 'principal.tenantBound && resource.hasTenant && resource.tenantId == principal.tenantId';

/** The condition a grant's scope puts on a resource of one kind; null when the scope never reaches that kind. */
function scopeCondition(kind: ResourceKind, scope: GrantScope): string | null {
  if (scope === 'everywhere') return 'true';
  switch (kind) {
    case 'node':
      return scope === 'own-tenant' ? OWN_TENANT : `${OWN_TENANT} && !resource.isTenantRoot`;
    case 'key':
      return 'true'; // the catalogue is shared: scoping applies to values, not to key definitions
    case 'role-assignment':
      return `${OWN_TENANT} && resource.tenantAssignable`;
    case 'policy':
      return null;
  }
}

function keysCondition(grant: Grant): string {
  return grant.keys === 'all'
    ? 'true'
    : '(!context.hasKey || (principal.isService && context.keyOwnerService != "" && context.keyOwnerService == principal.service))';
}

/** The permit policies of one role: one per grant and resource kind the grant's actions touch. */
export function rolePolicies(role: RoleDefinition): Record<string, string> {
  // Names are validated (lower-case, digits, '-'), so they are safe inside a Cedar string literal.
  if (!isRoleName(role.name)) throw new Error(`role name ${JSON.stringify(role.name)} cannot be turned into a policy`);
  const policies: Record<string, string> = {};
  role.grants.forEach((grant, index) => {
    for (const [kind, { entityType, actions }] of Object.entries(RESOURCE_KINDS) as [ResourceKind, (typeof RESOURCE_KINDS)[ResourceKind]][]) {
      const granted = grant.actions.filter((a) => actions.includes(a));
      const scope = scopeCondition(kind, grant.scope);
      if (granted.length === 0 || scope === null) continue;
      const id = `role:${role.name}/grant:${index}/${kind}`;
      policies[id] = [
        `@id(${JSON.stringify(id)})`,
        `permit (principal, action in ${actionList(granted)}, resource is ${entityType})`,
        `when { principal.roles.contains(${JSON.stringify(role.name)}) && ${scope} && ${keysCondition(grant)} };`,
      ].join('\n');
    }
  });
  return policies;
}

/**
 * Guardrails hold whatever the roles say (a forbid overrides every permit in Cedar):
 * a tenant-bound subject never touches a node outside its tenant, never manages roles outside its
 * tenant or roles that are not tenant-assignable, never changes the key catalogue or the policy;
 * a service identity never changes anything.
 */
export const GUARDRAILS: Readonly<Record<string, string>> = {
  'guardrail:tenant-boundary': `@id("guardrail:tenant-boundary")
forbid (principal, action, resource is Config::Node)
when { principal.tenantBound && !(resource.hasTenant && resource.tenantId == principal.tenantId) };`,
  'guardrail:tenant-role-assignments': `@id("guardrail:tenant-role-assignments")
forbid (principal, action, resource is Config::RoleAssignment)
when { principal.tenantBound && !(resource.hasTenant && resource.tenantId == principal.tenantId && resource.tenantAssignable) };`,
  'guardrail:platform-only': `@id("guardrail:platform-only")
forbid (principal, action in ${actionList(['key.define', 'key.update', 'policy.read', 'policy.change'])}, resource)
when { principal.tenantBound };`,
  'guardrail:services-read-only': `@id("guardrail:services-read-only")
forbid (principal, action in ${actionList(WRITE_ACTIONS)}, resource)
when { principal.isService };`,
};

/** The full policy set for a list of roles: the guardrails plus every role's permits. */
export function policySetFor(roles: readonly RoleDefinition[]): Record<string, string> {
  return Object.assign({}, GUARDRAILS, ...roles.map(rolePolicies)) as Record<string, string>;
}
