import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { configError } from './config-errors.js';
import type { ConfigError } from './config-errors.js';
import type { ConfigLevels } from './config-levels.js';
import { sameValue } from './config-value.js';
import type { ConfigValue } from './config-value.js';
import type { KeyDefinition } from './key-definition.js';
import { validateValue } from './key-definition.js';
import { ROOT_LEVEL, ROOT_PATH, childPath, isSameOrDescendant, isSegmentName } from './node-path.js';
import { diffStates } from './node-version.js';
import type { ChangeKind, KeyDiff, NodeState, NodeVersion } from './node-version.js';

/**
 * A node of the configuration tree. It holds sparse overrides (only the keys set here) and the
 * keys it locks (descendants may not override a locked key). `tenantId` is set on a tenant's root
 * node (a level that owns a tenant) and inherited by every node below it.
 */
export interface ConfigNode {
  readonly id: string;
  readonly level: string;
  readonly name: string;
  readonly parentId: string | null;
  /** Materialised path, e.g. `/GLOBAL/region:kabul/tenant:acme`. */
  readonly path: string;
  readonly tenantId: string | null;
  readonly isTenantRoot: boolean;
  readonly overrides: Readonly<Record<string, ConfigValue>>;
  /** Sorted, without repeats. */
  readonly locks: readonly string[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Who changes a node, why, and when. */
export interface ChangeMeta {
  readonly author: string;
  readonly reason: string;
  readonly now: Date;
}

/** Where a key is locked: the topmost ancestor that locks it. */
export interface LockHolder {
  readonly nodeId: string;
  readonly path: string;
}

export type NodeChange =
  | { readonly changed: true; readonly node: ConfigNode; readonly version: NodeVersion }
  | { readonly changed: false; readonly node: ConfigNode };

export const MAX_REASON_LENGTH = 500;
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Tenant ids come from the tenant service; we accept UUIDs and slug-like ids, nothing that could carry a path. */
export const isTenantId = (value: string): boolean => TENANT_ID.test(value);

export function checkMeta(meta: ChangeMeta): Result<ChangeMeta, ConfigError> {
  const reason = meta.reason.trim();
  if (reason.length === 0) return err(configError('CONFIG.INVALID_INPUT', 'every change needs a reason', { field: 'reason' }));
  if (reason.length > MAX_REASON_LENGTH) {
    return err(configError('CONFIG.INVALID_INPUT', `reason must have at most ${MAX_REASON_LENGTH} characters`, { field: 'reason' }));
  }
  if (meta.author.trim().length === 0) return err(configError('CONFIG.INVALID_INPUT', 'author is required', { field: 'author' }));
  return ok({ ...meta, reason });
}

export const stateOf = (node: ConfigNode, deleted = false): NodeState => ({
  parentId: node.parentId,
  path: node.path,
  overrides: node.overrides,
  locks: node.locks,
  deleted,
});

function versionOf(
  node: ConfigNode,
  change: ChangeKind,
  meta: ChangeMeta,
  diff: readonly KeyDiff[],
  options: { deleted?: boolean; rolledBackTo?: number } = {},
): NodeVersion {
  return {
    nodeId: node.id,
    version: node.version,
    change,
    author: meta.author,
    reason: meta.reason,
    at: meta.now.toISOString(),
    diff,
    state: stateOf(node, options.deleted ?? false),
    rolledBackTo: options.rolledBackTo ?? null,
  };
}

function bump(node: ConfigNode, patch: Partial<ConfigNode>, now: Date): ConfigNode {
  return { ...node, ...patch, version: node.version + 1, updatedAt: now.toISOString() };
}

/** The GLOBAL root, version 1 (seeded by migration). */
export function createRootNode(id: string, meta: ChangeMeta): { node: ConfigNode; version: NodeVersion } {
  const at = meta.now.toISOString();
  const node: ConfigNode = {
    id,
    level: ROOT_LEVEL,
    name: 'global',
    parentId: null,
    path: ROOT_PATH,
    tenantId: null,
    isTenantRoot: false,
    overrides: {},
    locks: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return { node, version: versionOf(node, 'node.created', meta, []) };
}

export interface NewNode {
  readonly id: string;
  readonly level: string;
  readonly name: string;
  /** Required for a level that owns a tenant; refused for any other level (others inherit their parent's). */
  readonly tenantId?: string | null;
}

/** Creates a node under `parent`, checking the level rules and the tenant boundary. Sibling uniqueness is the repository's to check. */
export function createChildNode(
  parent: ConfigNode,
  draft: NewNode,
  levels: ConfigLevels,
  meta: ChangeMeta,
): Result<{ node: ConfigNode; version: NodeVersion }, ConfigError> {
  const level = levels.get(draft.level);
  if (level === undefined || draft.level === ROOT_LEVEL) {
    return err(configError('CONFIG.UNKNOWN_LEVEL', `level ${JSON.stringify(draft.level)} is not a configured child level`, { level: draft.level }));
  }
  if (!levels.allowsParent(draft.level, parent.level)) {
    return err(
      configError('CONFIG.LEVEL_NOT_ALLOWED', `a ${draft.level} node cannot hang under a ${parent.level} node`, {
        level: draft.level,
        parentLevel: parent.level,
        allowedParents: level.parents,
      }),
    );
  }
  if (!isSegmentName(draft.name)) {
    return err(configError('CONFIG.INVALID_INPUT', "name may hold only a-z, 0-9, '-' and '_' (1–63 characters)", { field: 'name' }));
  }
  let tenantId = parent.tenantId;
  if (level.ownsTenant) {
    if (draft.tenantId === undefined || draft.tenantId === null || !isTenantId(draft.tenantId)) {
      return err(configError('CONFIG.INVALID_INPUT', `a ${draft.level} node needs a tenant id`, { field: 'tenantId' }));
    }
    if (parent.tenantId !== null) {
      return err(configError('CONFIG.TENANT_BOUNDARY', 'a tenant node cannot be created inside another tenant subtree'));
    }
    tenantId = draft.tenantId;
  } else if (draft.tenantId !== undefined && draft.tenantId !== null) {
    return err(configError('CONFIG.INVALID_INPUT', `a ${draft.level} node inherits its tenant and takes no tenant id`, { field: 'tenantId' }));
  }
  const at = meta.now.toISOString();
  const node: ConfigNode = {
    id: draft.id,
    level: draft.level,
    name: draft.name,
    parentId: parent.id,
    path: childPath(parent.path, draft.level, draft.name),
    tenantId,
    isTenantRoot: level.ownsTenant,
    overrides: {},
    locks: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return ok({ node, version: versionOf(node, 'node.created', meta, []) });
}

/** The topmost node of `ancestors` (root first, the node itself excluded) that locks `key`. */
export function findLockAbove(ancestors: readonly ConfigNode[], key: string): LockHolder | null {
  const holder = ancestors.find((a) => a.locks.includes(key));
  return holder === undefined ? null : { nodeId: holder.id, path: holder.path };
}

const lockedError = (key: string, holder: LockHolder): ConfigError =>
  configError('CONFIG.KEY_LOCKED', `${key} is locked at ${holder.path}; nodes below it cannot override it`, {
    key,
    lockedAt: holder.path,
  });

/** Sets (or replaces) the override of `key` at `node` after checking the lock above, deprecation and the key schema. */
export function setOverride(
  node: ConfigNode,
  definition: KeyDefinition,
  value: unknown,
  ancestors: readonly ConfigNode[],
  meta: ChangeMeta,
): Result<NodeChange, ConfigError> {
  const key = definition.key;
  const holder = findLockAbove(ancestors, key);
  if (holder !== null) return err(lockedError(key, holder));
  if (definition.deprecated) {
    return err(configError('CONFIG.KEY_DEPRECATED', `${key} is deprecated; no new value may be set`, { key }));
  }
  const checked = validateValue(key, definition.schema, value);
  if (!checked.ok) return checked;
  if (sameValue(node.overrides[key], checked.value)) return ok({ changed: false, node });
  const next = bump(node, { overrides: { ...node.overrides, [key]: checked.value } }, meta.now);
  return ok({ changed: true, node: next, version: versionOf(next, 'value.set', meta, diffStates(node, next)) });
}

/** Removes the override so the key follows the parent again; clearing an absent override changes nothing. */
export function clearOverride(node: ConfigNode, key: string, meta: ChangeMeta): NodeChange {
  if (!(key in node.overrides)) return { changed: false, node };
  const overrides = Object.fromEntries(Object.entries(node.overrides).filter(([k]) => k !== key));
  const next = bump(node, { overrides }, meta.now);
  return { changed: true, node: next, version: versionOf(next, 'value.cleared', meta, diffStates(node, next)) };
}

/** Locks `key` at `node`: descendants may no longer override it and their existing overrides stop counting. */
export function setLock(
  node: ConfigNode,
  definition: KeyDefinition,
  ancestors: readonly ConfigNode[],
  meta: ChangeMeta,
): Result<NodeChange, ConfigError> {
  const holder = findLockAbove(ancestors, definition.key);
  if (holder !== null) return err(lockedError(definition.key, holder));
  if (node.locks.includes(definition.key)) return ok({ changed: false, node });
  const next = bump(node, { locks: [...node.locks, definition.key].sort() }, meta.now);
  return ok({ changed: true, node: next, version: versionOf(next, 'lock.set', meta, diffStates(node, next)) });
}

export function removeLock(node: ConfigNode, key: string, meta: ChangeMeta): NodeChange {
  if (!node.locks.includes(key)) return { changed: false, node };
  const next = bump(node, { locks: node.locks.filter((k) => k !== key) }, meta.now);
  return { changed: true, node: next, version: versionOf(next, 'lock.removed', meta, diffStates(node, next)) };
}

/** One reason a rollback target is not acceptable today. */
export interface RollbackProblem {
  readonly key: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * Restores the overrides and locks of `target` (an earlier version of `node`) as a new version.
 * The restored state is checked as if each key were set now: against the current key schemas,
 * current locks above, and deprecation (a deprecated key may keep a value it still has, not regain one).
 */
export function rollbackNode(
  node: ConfigNode,
  target: NodeVersion,
  definitions: ReadonlyMap<string, KeyDefinition>,
  ancestors: readonly ConfigNode[],
  meta: ChangeMeta,
): Result<NodeChange, ConfigError> {
  if (target.nodeId !== node.id) throw new Error('rollback target belongs to another node');
  const problems: RollbackProblem[] = [];
  for (const [key, value] of Object.entries(target.state.overrides)) {
    const definition = definitions.get(key);
    if (definition === undefined) {
      problems.push({ key, rule: 'defined', message: `${key} is no longer defined` });
      continue;
    }
    const holder = findLockAbove(ancestors, key);
    if (holder !== null) {
      problems.push({ key, rule: 'locked', message: `${key} is locked at ${holder.path}` });
      continue;
    }
    if (definition.deprecated && !sameValue(node.overrides[key], value)) {
      problems.push({ key, rule: 'deprecated', message: `${key} is deprecated` });
      continue;
    }
    const checked = validateValue(key, definition.schema, value);
    if (!checked.ok) {
      const rule = checked.error.details?.['rule'];
      problems.push({ key, rule: typeof rule === 'string' ? rule : 'schema', message: checked.error.message });
    }
  }
  for (const key of target.state.locks) {
    if (!definitions.has(key)) problems.push({ key, rule: 'defined', message: `${key} is no longer defined` });
    else {
      const holder = findLockAbove(ancestors, key);
      if (holder !== null) problems.push({ key, rule: 'locked', message: `${key} is locked at ${holder.path}` });
    }
  }
  if (problems.length > 0) {
    return err(
      configError('CONFIG.ROLLBACK_REJECTED', `version ${target.version} cannot be restored: ${problems.map((p) => p.message).join('; ')}`, {
        toVersion: target.version,
        problems,
      }),
    );
  }
  const restored = { overrides: { ...target.state.overrides }, locks: [...target.state.locks].sort() };
  const diff = diffStates(node, restored);
  if (diff.length === 0) return ok({ changed: false, node });
  const next = bump(node, restored, meta.now);
  return ok({
    changed: true,
    node: next,
    version: versionOf(next, 'node.rolled-back', meta, diff, { rolledBackTo: target.version }),
  });
}

/**
 * Moves `node` under `newParent`. Checks the root, cycles, the level rules and the tenant boundary:
 * a tenant's root may move only between non-tenant parents, any other tenant-owned node only
 * within its own tenant. Rebasing descendants' paths and sibling uniqueness are the repository's job.
 */
export function moveNode(
  node: ConfigNode,
  newParent: ConfigNode,
  levels: ConfigLevels,
  meta: ChangeMeta,
): Result<NodeChange, ConfigError> {
  if (node.parentId === null) return err(configError('CONFIG.ROOT_IMMUTABLE', 'the GLOBAL node cannot be moved'));
  if (isSameOrDescendant(newParent.path, node.path)) {
    return err(configError('CONFIG.MOVE_CYCLE', 'a node cannot move under itself or its descendants'));
  }
  if (!levels.allowsParent(node.level, newParent.level)) {
    return err(
      configError('CONFIG.LEVEL_NOT_ALLOWED', `a ${node.level} node cannot hang under a ${newParent.level} node`, {
        level: node.level,
        parentLevel: newParent.level,
      }),
    );
  }
  const expectedParentTenant = node.isTenantRoot ? null : node.tenantId;
  if (newParent.tenantId !== expectedParentTenant) {
    return err(configError('CONFIG.TENANT_BOUNDARY', 'the move would change which tenant owns the node'));
  }
  if (newParent.id === node.parentId) return ok({ changed: false, node });
  const next = bump(node, { parentId: newParent.id, path: childPath(newParent.path, node.level, node.name) }, meta.now);
  return ok({ changed: true, node: next, version: versionOf(next, 'node.moved', meta, []) });
}

/** The last version of a deleted node: every override and lock removed. */
export function deleteNode(node: ConfigNode, meta: ChangeMeta): Result<{ node: ConfigNode; version: NodeVersion }, ConfigError> {
  if (node.parentId === null) return err(configError('CONFIG.ROOT_IMMUTABLE', 'the GLOBAL node cannot be deleted'));
  const next = bump(node, { overrides: {}, locks: [] }, meta.now);
  return ok({ node: next, version: versionOf(next, 'node.deleted', meta, diffStates(node, next), { deleted: true }) });
}
