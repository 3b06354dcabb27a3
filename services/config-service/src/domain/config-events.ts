import type { Grant, RoleAssignment, RoleDefinition } from './access.js';
import type { ConfigNode } from './config-node.js';
import type { ConfigValue } from './config-value.js';
import type { KeyDefinition } from './key-definition.js';
import type { KeyDiff } from './node-version.js';

/** The 13 event types the config service produces (schemas in @sms/contracts, list in docs/events.md). */
export const CONFIG_EVENT_TYPES = {
  nodeCreated: 'config.node.created.v1',
  nodeMoved: 'config.node.moved.v1',
  nodeDeleted: 'config.node.deleted.v1',
  keyDefined: 'config.key.defined.v1',
  keyUpdated: 'config.key.updated.v1',
  valueSet: 'config.value.set.v1',
  valueCleared: 'config.value.cleared.v1',
  lockSet: 'config.lock.set.v1',
  lockRemoved: 'config.lock.removed.v1',
  nodeRolledBack: 'config.node.rolled-back.v1',
  roleAssigned: 'config.role.assigned.v1',
  roleRevoked: 'config.role.revoked.v1',
  policyChanged: 'config.policy.changed.v1',
} as const;
export type ConfigEventType = (typeof CONFIG_EVENT_TYPES)[keyof typeof CONFIG_EVENT_TYPES];

/** The aggregate each event is about (events of one aggregate are published in order). */
export type ConfigAggregateType = 'config-node' | 'config-key' | 'config-role' | 'config-role-assignment';

/** A domain event before it gets its envelope (id, time). */
export interface ConfigDomainEvent {
  readonly type: ConfigEventType;
  readonly aggregateType: ConfigAggregateType;
  readonly aggregateId: string;
  readonly tenantId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface Actor {
  readonly subjectId: string;
}

interface ChangeContext {
  readonly actor: Actor;
  readonly reason: string;
}

const nodeEvent = (type: ConfigEventType, node: ConfigNode, data: Record<string, unknown>): ConfigDomainEvent => ({
  type,
  aggregateType: 'config-node',
  aggregateId: node.id,
  tenantId: node.tenantId,
  data,
});

const nodeRef = (node: ConfigNode) => ({ nodeId: node.id, path: node.path, tenantId: node.tenantId, version: node.version });

export const nodeCreated = (node: ConfigNode, ctx: ChangeContext): ConfigDomainEvent =>
  nodeEvent(CONFIG_EVENT_TYPES.nodeCreated, node, {
    ...nodeRef(node),
    parentId: node.parentId,
    level: node.level,
    name: node.name,
    ...ctx,
  });

export const nodeMoved = (before: ConfigNode, after: ConfigNode, movedDescendants: number, ctx: ChangeContext): ConfigDomainEvent =>
  nodeEvent(CONFIG_EVENT_TYPES.nodeMoved, after, {
    ...nodeRef(after),
    fromPath: before.path,
    fromParentId: before.parentId,
    toParentId: after.parentId,
    movedDescendants,
    ...ctx,
  });

export const nodeDeleted = (
  node: ConfigNode,
  descendants: readonly { readonly nodeId: string; readonly path: string }[],
  ctx: ChangeContext,
): ConfigDomainEvent =>
  nodeEvent(CONFIG_EVENT_TYPES.nodeDeleted, node, { ...nodeRef(node), deletedDescendants: descendants, ...ctx });

/** Sensitive values never leave the service in events: they travel as `null` with `redacted: true`. */
const shown = (value: ConfigValue | null, sensitive: boolean): ConfigValue | null => (sensitive ? null : value);

export const valueSet = (
  node: ConfigNode,
  key: KeyDefinition,
  before: ConfigValue | null,
  after: ConfigValue,
  ctx: ChangeContext,
): ConfigDomainEvent =>
  nodeEvent(CONFIG_EVENT_TYPES.valueSet, node, {
    ...nodeRef(node),
    key: key.key,
    before: shown(before, key.sensitive),
    after: shown(after, key.sensitive),
    redacted: key.sensitive,
    ...ctx,
  });

export const valueCleared = (node: ConfigNode, key: string, before: ConfigValue, sensitive: boolean, ctx: ChangeContext) =>
  nodeEvent(CONFIG_EVENT_TYPES.valueCleared, node, {
    ...nodeRef(node),
    key,
    before: shown(before, sensitive),
    redacted: sensitive,
    ...ctx,
  });

export const lockChanged = (type: 'set' | 'removed', node: ConfigNode, key: string, ctx: ChangeContext): ConfigDomainEvent =>
  nodeEvent(type === 'set' ? CONFIG_EVENT_TYPES.lockSet : CONFIG_EVENT_TYPES.lockRemoved, node, { ...nodeRef(node), key, ...ctx });

export const nodeRolledBack = (
  node: ConfigNode,
  toVersion: number,
  diff: readonly KeyDiff[],
  isSensitive: (key: string) => boolean,
  ctx: ChangeContext,
): ConfigDomainEvent =>
  nodeEvent(CONFIG_EVENT_TYPES.nodeRolledBack, node, {
    ...nodeRef(node),
    toVersion,
    diff: diff.map((d) => {
      const sensitive = isSensitive(d.key);
      return {
        key: d.key,
        before: { value: shown(d.before.value, sensitive), locked: d.before.locked },
        after: { value: shown(d.after.value, sensitive), locked: d.after.locked },
        redacted: sensitive,
      };
    }),
    ...ctx,
  });

/** The public view of a key in events; a sensitive key's default is left out. */
export function keySnapshot(key: KeyDefinition) {
  const { default: _default, ...withoutDefault } = key.schema;
  const schema: Readonly<Record<string, unknown>> = key.sensitive ? withoutDefault : key.schema;
  return {
    schema,
    description: key.description,
    sensitive: key.sensitive,
    ownerService: key.ownerService,
    deprecated: key.deprecated,
  };
}

const keyEvent = (type: ConfigEventType, key: KeyDefinition, data: Record<string, unknown>): ConfigDomainEvent => ({
  type,
  aggregateType: 'config-key',
  aggregateId: key.key,
  tenantId: null,
  data,
});

export const keyDefined = (key: KeyDefinition, actor: Actor): ConfigDomainEvent =>
  keyEvent(CONFIG_EVENT_TYPES.keyDefined, key, { key: key.key, version: key.version, ...keySnapshot(key), actor });

export const keyUpdated = (before: KeyDefinition, after: KeyDefinition, ctx: ChangeContext): ConfigDomainEvent =>
  keyEvent(CONFIG_EVENT_TYPES.keyUpdated, after, {
    key: after.key,
    version: after.version,
    before: keySnapshot(before),
    after: keySnapshot(after),
    ...ctx,
  });

const assignmentEvent = (type: ConfigEventType, a: RoleAssignment, ctx: ChangeContext): ConfigDomainEvent => ({
  type,
  aggregateType: 'config-role-assignment',
  aggregateId: a.id,
  tenantId: a.tenantId,
  data: { assignmentId: a.id, subjectId: a.subjectId, role: a.role, tenantId: a.tenantId, ...ctx },
});

export const roleAssigned = (a: RoleAssignment, ctx: ChangeContext) => assignmentEvent(CONFIG_EVENT_TYPES.roleAssigned, a, ctx);
export const roleRevoked = (a: RoleAssignment, ctx: ChangeContext) => assignmentEvent(CONFIG_EVENT_TYPES.roleRevoked, a, ctx);

const roleSnapshot = (role: RoleDefinition | null): { description: string; tenantAssignable: boolean; grants: readonly Grant[] } | null =>
  role === null ? null : { description: role.description, tenantAssignable: role.tenantAssignable, grants: role.grants };

export const policyChanged = (
  name: string,
  before: RoleDefinition | null,
  after: RoleDefinition | null,
  version: number,
  ctx: ChangeContext,
): ConfigDomainEvent => ({
  type: CONFIG_EVENT_TYPES.policyChanged,
  aggregateType: 'config-role',
  aggregateId: name,
  tenantId: null,
  data: {
    role: name,
    change: before === null ? 'created' : after === null ? 'removed' : 'updated',
    version,
    before: roleSnapshot(before),
    after: roleSnapshot(after),
    ...ctx,
  },
});
