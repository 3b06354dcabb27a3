import { describe, expect, it } from 'vitest';
import {
  checkMeta,
  clearOverride,
  createChildNode,
  createRootNode,
  deleteNode,
  findLockAbove,
  moveNode,
  removeLock,
  rollbackNode,
  setLock,
  setOverride,
} from '../../../src/domain/config-node.js';
import type { ConfigNode, NodeChange } from '../../../src/domain/config-node.js';
import type { KeyDefinition } from '../../../src/domain/key-definition.js';
import type { NodeVersion } from '../../../src/domain/node-version.js';
import { keyOf, levels } from '../../support/world.js';

const meta = { author: 'user:root', reason: 'because', now: new Date('2026-02-01T10:00:00Z') };
const parts = keyOf({
  key: 'sms.max_parts_per_message',
  schema: { type: 'integer', minimum: 1, maximum: 10, default: 6 },
  description: '',
  sensitive: false,
  ownerService: 'sms-orchestrator',
});
const rate = keyOf({ key: 'sms.submit_rate_per_second', schema: { type: 'integer', minimum: 1 }, description: '', sensitive: false, ownerService: null });

function ok<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function changed(change: NodeChange): { node: ConfigNode; version: NodeVersion } {
  if (!change.changed) throw new Error('expected a change');
  return change;
}

const root = createRootNode('g', meta).node;
const region = ok(createChildNode(root, { id: 'r', level: 'region', name: 'kabul' }, levels, meta)).node;
const tenant = ok(createChildNode(region, { id: 't', level: 'tenant', name: 'acme', tenantId: 'acme' }, levels, meta)).node;
const sub = ok(createChildNode(tenant, { id: 's', level: 'sub-account', name: 'billing' }, levels, meta)).node;

describe('creating nodes', () => {
  it('creates the GLOBAL root at version 1 with a creation version', () => {
    const created = createRootNode('g', meta);
    expect([created.node.path, created.node.version, created.version.change, created.version.author]).toEqual(['/GLOBAL', 1, 'node.created', 'user:root']);
  });

  it('materialises the path and sets the tenant on a tenant node', () => {
    expect([tenant.path, tenant.tenantId, tenant.isTenantRoot]).toEqual(['/GLOBAL/region:kabul/tenant:acme', 'acme', true]);
  });

  it('lets descendants inherit the tenant of their tenant node', () => {
    expect([sub.tenantId, sub.isTenantRoot]).toEqual(['acme', false]);
  });

  it('refuses an unknown level', () => {
    const created = createChildNode(root, { id: 'x', level: 'planet', name: 'x' }, levels, meta);
    expect(!created.ok && created.error.code).toBe('CONFIG.UNKNOWN_LEVEL');
  });

  it('refuses a second GLOBAL node', () => {
    const created = createChildNode(root, { id: 'x', level: 'GLOBAL', name: 'x' }, levels, meta);
    expect(!created.ok && created.error.code).toBe('CONFIG.UNKNOWN_LEVEL');
  });

  it('refuses a level under a parent level it does not allow', () => {
    const created = createChildNode(root, { id: 'x', level: 'sub-account', name: 'x' }, levels, meta);
    expect(!created.ok && created.error).toMatchObject({ code: 'CONFIG.LEVEL_NOT_ALLOWED', details: { allowedParents: ['tenant'] } });
  });

  it('refuses a malformed name', () => {
    const created = createChildNode(root, { id: 'x', level: 'region', name: 'Kabul/..' }, levels, meta);
    expect(!created.ok && created.error.details).toEqual({ field: 'name' });
  });

  it('refuses a tenant node without a tenant id', () => {
    const created = createChildNode(root, { id: 'x', level: 'tenant', name: 'x' }, levels, meta);
    expect(!created.ok && created.error.details).toEqual({ field: 'tenantId' });
  });

  it('refuses a tenant id that could carry a path', () => {
    const created = createChildNode(root, { id: 'x', level: 'tenant', name: 'x', tenantId: '../globex' }, levels, meta);
    expect(!created.ok && created.error.details).toEqual({ field: 'tenantId' });
  });

  it('refuses a tenant id on a level that inherits its tenant', () => {
    const created = createChildNode(tenant, { id: 'x', level: 'sub-account', name: 'x', tenantId: 'globex' }, levels, meta);
    expect(!created.ok && created.error.details).toEqual({ field: 'tenantId' });
  });

  it('refuses a tenant node under a parent that already belongs to a tenant', () => {
    const ownedRegion = { ...region, tenantId: 'acme' };
    const created = createChildNode(ownedRegion, { id: 'x', level: 'tenant', name: 'x', tenantId: 'other' }, levels, meta);
    expect(!created.ok && created.error.code).toBe('CONFIG.TENANT_BOUNDARY');
  });
});

describe('checkMeta', () => {
  it('trims the reason', () => {
    expect(checkMeta({ ...meta, reason: '  fix  ' })).toMatchObject({ ok: true, value: { reason: 'fix' } });
  });

  it.each([
    ['an empty reason', { ...meta, reason: '   ' }, 'reason'],
    ['a reason over 500 characters', { ...meta, reason: 'x'.repeat(501) }, 'reason'],
    ['an empty author', { ...meta, author: '' }, 'author'],
  ])('refuses %s', (_label, input, field) => {
    const checked = checkMeta(input);
    expect(!checked.ok && checked.error.details).toEqual({ field });
  });
});

describe('overrides', () => {
  it('sets an override as a new version with author, reason and a before/after diff', () => {
    const { node, version } = changed(ok(setOverride(tenant, parts, 4, [root, region], meta)));
    expect([node.overrides, node.version, version.version, version.change, version.reason, version.diff]).toEqual([
      { 'sms.max_parts_per_message': 4 },
      2,
      2,
      'value.set',
      'because',
      [{ key: 'sms.max_parts_per_message', before: { value: null, locked: false }, after: { value: 4, locked: false } }],
    ]);
  });

  it('changes nothing when the value is already set', () => {
    const { node } = changed(ok(setOverride(tenant, parts, 4, [root, region], meta)));
    expect(ok(setOverride(node, parts, 4, [root, region], meta)).changed).toBe(false);
  });

  it('refuses a value that breaks the schema, naming key and rule', () => {
    const set = setOverride(tenant, parts, 11, [root, region], meta);
    expect(!set.ok && set.error.details).toEqual({ key: 'sms.max_parts_per_message', rule: 'maximum' });
  });

  it('refuses a value for a key locked above, naming the locking node', () => {
    const lockedRegion = changed(ok(setLock(region, parts, [root], meta))).node;
    const set = setOverride(tenant, parts, 4, [root, lockedRegion], meta);
    expect(!set.ok && set.error).toMatchObject({ code: 'CONFIG.KEY_LOCKED', details: { lockedAt: '/GLOBAL/region:kabul' } });
  });

  it('lets the locking node itself change its value', () => {
    const lockedRegion = changed(ok(setLock(region, parts, [root], meta))).node;
    expect(ok(setOverride(lockedRegion, parts, 3, [root], meta)).changed).toBe(true);
  });

  it('refuses a new value for a deprecated key', () => {
    const set = setOverride(tenant, { ...parts, deprecated: true }, 4, [root, region], meta);
    expect(!set.ok && set.error.code).toBe('CONFIG.KEY_DEPRECATED');
  });

  it('clears an override as a new version', () => {
    const withValue = changed(ok(setOverride(tenant, parts, 4, [root, region], meta))).node;
    const { node, version } = changed(clearOverride(withValue, parts.key, meta));
    expect([node.overrides, version.change, version.diff[0]?.after]).toEqual([{}, 'value.cleared', { value: null, locked: false }]);
  });

  it('changes nothing when clearing an absent override', () => {
    expect(clearOverride(tenant, parts.key, meta).changed).toBe(false);
  });
});

describe('locks', () => {
  it('locks a key as a new version', () => {
    const { node, version } = changed(ok(setLock(region, parts, [root], meta)));
    expect([node.locks, version.change]).toEqual([['sms.max_parts_per_message'], 'lock.set']);
  });

  it('keeps locks sorted', () => {
    const one = changed(ok(setLock(region, rate, [root], meta))).node;
    expect(changed(ok(setLock(one, parts, [root], meta))).node.locks).toEqual(['sms.max_parts_per_message', 'sms.submit_rate_per_second']);
  });

  it('changes nothing when the key is already locked here', () => {
    const locked = changed(ok(setLock(region, parts, [root], meta))).node;
    expect(ok(setLock(locked, parts, [root], meta)).changed).toBe(false);
  });

  it('refuses to lock a key already locked above', () => {
    const lockedRoot = changed(ok(setLock(root, parts, [], meta))).node;
    const lock = setLock(region, parts, [lockedRoot], meta);
    expect(!lock.ok && lock.error.code).toBe('CONFIG.KEY_LOCKED');
  });

  it('removes a lock as a new version', () => {
    const locked = changed(ok(setLock(region, parts, [root], meta))).node;
    const { node, version } = changed(removeLock(locked, parts.key, meta));
    expect([node.locks, version.change]).toEqual([[], 'lock.removed']);
  });

  it('changes nothing when removing a lock that is not held here', () => {
    expect(removeLock(region, parts.key, meta).changed).toBe(false);
  });

  it('finds the topmost lock above a node', () => {
    const lockedRoot = { ...root, locks: [parts.key] };
    const lockedRegion = { ...region, locks: [parts.key] };
    expect(findLockAbove([lockedRoot, lockedRegion], parts.key)).toEqual({ nodeId: 'g', path: '/GLOBAL' });
  });
});

describe('rollback', () => {
  const definitions = new Map<string, KeyDefinition>([
    [parts.key, parts],
    [rate.key, rate],
  ]);
  const v2 = changed(ok(setOverride(tenant, parts, 4, [root, region], meta)));
  const v3 = changed(ok(setOverride(v2.node, rate, 50, [root, region], meta)));
  const v4 = changed(clearOverride(v3.node, parts.key, meta));

  it('restores the overrides of an earlier version as a new version', () => {
    const { node, version } = changed(ok(rollbackNode(v4.node, v3.version, definitions, [root, region], meta)));
    expect([node.overrides, node.version, version.change, version.rolledBackTo]).toEqual([
      { 'sms.max_parts_per_message': 4, 'sms.submit_rate_per_second': 50 },
      5,
      'node.rolled-back',
      3,
    ]);
  });

  it('restores locks as well as overrides', () => {
    const locked = changed(ok(setLock(v4.node, parts, [root, region], meta)));
    const unlocked = changed(removeLock(locked.node, parts.key, meta));
    expect(changed(ok(rollbackNode(unlocked.node, locked.version, definitions, [root, region], meta))).node.locks).toEqual([parts.key]);
  });

  it('changes nothing when the target state equals the current state', () => {
    expect(ok(rollbackNode(v3.node, v3.version, definitions, [root, region], meta)).changed).toBe(false);
  });

  it('refuses a target whose value breaks the current schema', () => {
    const stricter = new Map(definitions).set(parts.key, { ...parts, schema: { type: 'integer', minimum: 5, maximum: 10 } });
    const rolled = rollbackNode(v4.node, v3.version, stricter, [root, region], meta);
    expect(!rolled.ok && rolled.error.details?.['problems']).toEqual([expect.objectContaining({ key: parts.key, rule: 'minimum' })]);
  });

  it('refuses a target overriding a key that is now locked above', () => {
    const lockedRegion = { ...region, locks: [parts.key] };
    const rolled = rollbackNode(v4.node, v3.version, definitions, [root, lockedRegion], meta);
    expect(!rolled.ok && rolled.error.details?.['problems']).toEqual([expect.objectContaining({ key: parts.key, rule: 'locked' })]);
  });

  it('refuses a target locking a key that is now locked above', () => {
    const locked = changed(ok(setLock(v4.node, parts, [root, region], meta)));
    const unlocked = changed(removeLock(locked.node, parts.key, meta));
    const rolled = rollbackNode(unlocked.node, locked.version, definitions, [{ ...root, locks: [parts.key] }, region], meta);
    expect(!rolled.ok && rolled.error.details?.['problems']).toEqual([expect.objectContaining({ rule: 'locked' })]);
  });

  it('refuses a target bringing back a value of a deprecated key', () => {
    const deprecated = new Map(definitions).set(parts.key, { ...parts, deprecated: true });
    const rolled = rollbackNode(v4.node, v3.version, deprecated, [root, region], meta);
    expect(!rolled.ok && rolled.error.details?.['problems']).toEqual([expect.objectContaining({ rule: 'deprecated' })]);
  });

  it('lets a deprecated key keep the value it still has', () => {
    const deprecated = new Map(definitions).set(parts.key, { ...parts, deprecated: true });
    const cleared = changed(clearOverride(v3.node, rate.key, meta));
    expect(ok(rollbackNode(cleared.node, v3.version, deprecated, [root, region], meta)).changed).toBe(true);
  });

  it('refuses a target using keys that are no longer defined', () => {
    const locked = changed(ok(setLock(v3.node, rate, [root, region], meta)));
    const rolled = rollbackNode(v4.node, locked.version, new Map(), [root, region], meta);
    expect(!rolled.ok && (rolled.error.details?.['problems'] as { rule: string }[]).map((p) => p.rule)).toEqual(['defined', 'defined', 'defined']);
  });

  it('refuses a version of another node as a bug', () => {
    expect(() => rollbackNode(region, v3.version, definitions, [root], meta)).toThrow(/another node/);
  });
});

describe('moving and deleting', () => {
  const herat = ok(createChildNode(root, { id: 'h', level: 'region', name: 'herat' }, levels, meta)).node;
  const other = ok(createChildNode(root, { id: 'o', level: 'tenant', name: 'other', tenantId: 'other' }, levels, meta)).node;

  it('moves a tenant node to another region as a new version with the new path', () => {
    const { node, version } = changed(ok(moveNode(tenant, herat, levels, meta)));
    expect([node.path, node.parentId, node.tenantId, version.change]).toEqual(['/GLOBAL/region:herat/tenant:acme', 'h', 'acme', 'node.moved']);
  });

  it('changes nothing when moving a node under its current parent', () => {
    expect(ok(moveNode(tenant, region, levels, meta)).changed).toBe(false);
  });

  it('refuses to move GLOBAL', () => {
    const moved = moveNode(root, region, levels, meta);
    expect(!moved.ok && moved.error.code).toBe('CONFIG.ROOT_IMMUTABLE');
  });

  it('refuses to move a node under its own descendant', () => {
    const moved = moveNode(region, tenant, levels, meta);
    expect(!moved.ok && moved.error.code).toBe('CONFIG.MOVE_CYCLE');
  });

  it('refuses a move to a parent level the node does not allow', () => {
    const moved = moveNode(sub, herat, levels, meta);
    expect(!moved.ok && moved.error.code).toBe('CONFIG.LEVEL_NOT_ALLOWED');
  });

  it("refuses to move a sub-account into another tenant's subtree", () => {
    const moved = moveNode(sub, other, levels, meta);
    expect(!moved.ok && moved.error.code).toBe('CONFIG.TENANT_BOUNDARY');
  });

  it('records a deletion as a last version without overrides or locks', () => {
    const withValue = changed(ok(setOverride(sub, parts, 2, [root, region, tenant], meta))).node;
    const deleted = ok(deleteNode(withValue, meta));
    expect([deleted.version.change, deleted.version.state.deleted, deleted.version.state.overrides, deleted.version.diff.length]).toEqual([
      'node.deleted',
      true,
      {},
      1,
    ]);
  });

  it('refuses to delete GLOBAL', () => {
    const deleted = deleteNode(root, meta);
    expect(!deleted.ok && deleted.error.code).toBe('CONFIG.ROOT_IMMUTABLE');
  });
});
