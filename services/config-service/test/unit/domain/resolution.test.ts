import { describe, expect, it } from 'vitest';
import type { ConfigNode } from '../../../src/domain/config-node.js';
import { resolveConfig } from '../../../src/domain/resolution.js';
import { keyOf } from '../../support/world.js';

const node = (id: string, path: string, overrides: ConfigNode['overrides'] = {}, locks: string[] = []): ConfigNode => ({
  id,
  level: id === 'g' ? 'GLOBAL' : 'x',
  name: id,
  parentId: null,
  path,
  tenantId: null,
  isTenantRoot: false,
  overrides,
  locks,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const parts = keyOf({
  key: 'sms.max_parts_per_message',
  schema: { type: 'integer', minimum: 1, maximum: 10, default: 6 },
  description: '',
  sensitive: false,
  ownerService: 'sms-orchestrator',
});
const sender = keyOf({ key: 'sms.default_sender', schema: { type: 'string' }, description: '', sensitive: true, ownerService: null });

const G = '/GLOBAL';
const R = '/GLOBAL/region:kabul';
const T = '/GLOBAL/region:kabul/tenant:acme';

describe('resolveConfig', () => {
  it('returns the default, marked as such, when no node overrides a key', () => {
    const resolved = resolveConfig([node('g', G), node('r', R), node('t', T)], [parts]);
    expect(resolved.values['sms.max_parts_per_message']).toMatchObject({ value: 6, source: { kind: 'default' }, lockedAt: null });
  });

  it('takes the deepest override and says which node it came from', () => {
    const resolved = resolveConfig([node('g', G, { [parts.key]: 8 }), node('r', R, { [parts.key]: 5 }), node('t', T)], [parts]);
    expect(resolved.values[parts.key]).toMatchObject({ value: 5, source: { kind: 'node', nodeId: 'r', path: R } });
  });

  it("lets the node's own override win over its ancestors'", () => {
    const resolved = resolveConfig([node('g', G, { [parts.key]: 8 }), node('r', R), node('t', T, { [parts.key]: 2 })], [parts]);
    expect(resolved.values[parts.key]).toMatchObject({ value: 2, source: { nodeId: 't' } });
  });

  it('ignores overrides below a lock and reports where the key is locked', () => {
    const resolved = resolveConfig([node('g', G), node('r', R, { [parts.key]: 4 }, [parts.key]), node('t', T, { [parts.key]: 9 })], [parts]);
    expect(resolved.values[parts.key]).toMatchObject({ value: 4, source: { nodeId: 'r' }, lockedAt: { nodeId: 'r', path: R } });
  });

  it('freezes the inherited value when the locking node has no override of its own', () => {
    const resolved = resolveConfig([node('g', G, { [parts.key]: 3 }), node('r', R, {}, [parts.key]), node('t', T, { [parts.key]: 9 })], [parts]);
    expect(resolved.values[parts.key]).toMatchObject({ value: 3, source: { nodeId: 'g' } });
  });

  it('freezes the default when the lock sits above every override', () => {
    const resolved = resolveConfig([node('g', G, {}, [parts.key]), node('r', R, { [parts.key]: 2 })], [parts]);
    expect(resolved.values[parts.key]).toMatchObject({ value: 6, source: { kind: 'default' }, lockedAt: { path: G } });
  });

  it('leaves out a key that has neither default nor override', () => {
    expect(resolveConfig([node('g', G)], [sender]).values).toEqual({});
  });

  it('carries the sensitive flag and owner of each key', () => {
    const resolved = resolveConfig([node('g', G, { [sender.key]: 'ACME' })], [sender, parts]);
    expect([resolved.values[sender.key]?.sensitive, resolved.values[parts.key]?.ownerService]).toEqual([true, 'sms-orchestrator']);
  });

  it('records the chain of nodes and versions it was computed from', () => {
    expect(resolveConfig([node('g', G), node('r', R)], []).chain).toEqual([
      { nodeId: 'g', path: G, version: 1 },
      { nodeId: 'r', path: R, version: 1 },
    ]);
  });

  it('refuses an empty chain as a bug', () => {
    expect(() => resolveConfig([], [parts])).toThrow();
  });
});
