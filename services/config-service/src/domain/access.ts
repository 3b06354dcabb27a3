import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { configError } from './config-errors.js';
import type { ConfigError } from './config-errors.js';
import { isServiceName } from './key-definition.js';

/** Who is asking: attributes taken from the authenticated caller (JWT claims or mTLS identity). */
export interface Subject {
  readonly id: string;
  readonly roles: readonly string[];
  /** Set for a subject bound to one tenant: it sees and changes only that tenant's subtree. */
  readonly tenantId: string | null;
  /** Set for a service identity (e.g. `sms-orchestrator`): it resolves only the keys it owns. */
  readonly service: string | null;
}

/** Actions on configuration nodes (the resource is the node; `node.create` is asked of the new node's parent). */
export const NODE_ACTIONS = [
  'node.read',
  'node.create',
  'node.move',
  'node.delete',
  'history.read',
  'node.rollback',
  'config.resolve',
  'sensitive.read',
  'value.set',
  'value.clear',
  'lock.set',
  'lock.remove',
] as const;
/** Actions on the key catalogue. */
export const KEY_ACTIONS = ['key.read', 'key.define', 'key.update'] as const;
/** Actions on role assignments. */
export const ROLE_ACTIONS = ['role.read', 'role.assign', 'role.revoke'] as const;
/** Actions on role definitions (the policy). */
export const POLICY_ACTIONS = ['policy.read', 'policy.change'] as const;

export const ACCESS_ACTIONS = [...NODE_ACTIONS, ...KEY_ACTIONS, ...ROLE_ACTIONS, ...POLICY_ACTIONS] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** Actions that change state; no service identity may perform them whatever its roles say. */
export const WRITE_ACTIONS: readonly AccessAction[] = [
  'node.create',
  'node.move',
  'node.delete',
  'node.rollback',
  'value.set',
  'value.clear',
  'lock.set',
  'lock.remove',
  'key.define',
  'key.update',
  'role.assign',
  'role.revoke',
  'policy.change',
];

/**
 * Where a grant applies.
 * - `everywhere`: any resource (a tenant-bound subject is still held inside its tenant by a guardrail);
 * - `own-tenant`: nodes of the subject's tenant subtree, role assignments inside its tenant, the key catalogue;
 * - `own-tenant-below-root`: like `own-tenant`, but not the tenant's root node itself.
 */
export const GRANT_SCOPES = ['everywhere', 'own-tenant', 'own-tenant-below-root'] as const;
export type GrantScope = (typeof GRANT_SCOPES)[number];

/** Which keys a grant covers: all, or only those whose `ownerService` is the subject's service. */
export const GRANT_KEYS = ['all', 'owned-by-subject-service'] as const;
export type GrantKeys = (typeof GRANT_KEYS)[number];

export interface Grant {
  readonly actions: readonly AccessAction[];
  readonly scope: GrantScope;
  readonly keys: GrantKeys;
}

/** A role as data. The access-policy adapter turns the grants into policies of its engine. */
export interface RoleDefinition {
  readonly name: string;
  readonly description: string;
  /** System roles are seeded and changed by migration only. */
  readonly system: boolean;
  /** A tenant-bound subject may assign this role inside its own tenant (when it holds `role.assign`). */
  readonly tenantAssignable: boolean;
  readonly grants: readonly Grant[];
  readonly version: number;
  readonly updatedAt: string;
}

/** A subject holding a role, possibly bound to one tenant. */
export interface RoleAssignment {
  readonly id: string;
  readonly subjectId: string;
  readonly role: string;
  readonly tenantId: string | null;
  readonly assignedBy: string;
  readonly assignedAt: string;
}

const ROLE_NAME = /^[a-z][a-z0-9-]{1,62}$/;
export const isRoleName = (value: string): boolean => ROLE_NAME.test(value);

const invalidRole = (message: string, field: string): Result<never, ConfigError> =>
  err(configError('CONFIG.INVALID_ROLE', message, { field }));

/** Checks a role's name, description and grants (known actions and scopes, at least one action per grant). */
export function validateRole(role: Omit<RoleDefinition, 'version' | 'updatedAt'>): Result<void, ConfigError> {
  if (!isRoleName(role.name)) return invalidRole('role name must be lower-case a-z, 0-9 and -', 'name');
  if (role.description.length > 500) return invalidRole('description must have at most 500 characters', 'description');
  if (role.grants.length === 0) return invalidRole('a role needs at least one grant', 'grants');
  for (const [i, grant] of role.grants.entries()) {
    if (grant.actions.length === 0) return invalidRole(`grant ${i} has no action`, `grants[${i}].actions`);
    const unknown = grant.actions.find((a) => !(ACCESS_ACTIONS as readonly string[]).includes(a));
    if (unknown !== undefined) return invalidRole(`grant ${i} names unknown action ${unknown}`, `grants[${i}].actions`);
    if (!(GRANT_SCOPES as readonly string[]).includes(grant.scope)) {
      return invalidRole(`grant ${i} has unknown scope ${grant.scope}`, `grants[${i}].scope`);
    }
    if (!(GRANT_KEYS as readonly string[]).includes(grant.keys)) {
      return invalidRole(`grant ${i} has unknown key filter ${grant.keys}`, `grants[${i}].keys`);
    }
  }
  return ok();
}

/** Checks a subject's attributes are well-formed before any decision is asked about it. */
export function validateSubject(subject: Subject): Result<Subject, ConfigError> {
  if (subject.id.trim().length === 0) return err(configError('CONFIG.INVALID_INPUT', 'subject id is required', { field: 'subject.id' }));
  if (subject.service !== null && !isServiceName(subject.service)) {
    return err(configError('CONFIG.INVALID_INPUT', 'subject service must be a service name', { field: 'subject.service' }));
  }
  if (subject.tenantId !== null && subject.tenantId.trim().length === 0) {
    return err(configError('CONFIG.INVALID_INPUT', 'subject tenant id must not be empty', { field: 'subject.tenantId' }));
  }
  return ok(subject);
}

/**
 * The tenant-isolation rule, checked before any policy is asked: a tenant-bound subject sees only
 * nodes of its own tenant. It is deliberately not part of the policy data, so no role change can undo it.
 */
export function isNodeVisibleTo(subject: Subject, node: { readonly tenantId: string | null }): boolean {
  return subject.tenantId === null || node.tenantId === subject.tenantId;
}
