import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RoleAssignment, RoleDefinition } from '../../../src/domain/access.js';
import { configErrors } from '../../../src/domain/config-errors.js';
import {
  CONFIG_EVENT_TYPES,
  keyDefined,
  keyUpdated,
  lockChanged,
  nodeCreated,
  nodeDeleted,
  nodeMoved,
  nodeRolledBack,
  policyChanged,
  roleAssigned,
  roleRevoked,
  valueCleared,
  valueSet,
} from '../../../src/domain/config-events.js';
import type { ConfigNode } from '../../../src/domain/config-node.js';
import { validateValue } from '../../../src/domain/key-definition.js';
import type { KeyDefinition, KeySchema } from '../../../src/domain/key-definition.js';

// Behaviours the first mutation run (docs/mutation-testing.md) showed no domain spec pinned down.

describe('error registry', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

  it('documents every code with its status, title and cause, word for word', () => {
    const rows = Object.entries(configErrors).map(([code, def]) => `| \`${code}\` | ${def.status} | ${def.title} | ${def.cause} |`);
    expect(rows.filter((row) => !doc.includes(row))).toEqual([]);
  });

  it('gives every code a title and a cause', () => {
    for (const [code, def] of Object.entries(configErrors)) {
      expect(def.title, code).not.toBe('');
      expect(def.cause, code).not.toBe('');
    }
  });

  it('holds the codes the domain answers with', () => {
    expect(Object.keys(configErrors)).toEqual(
      expect.arrayContaining(['CONFIG.INVALID_INPUT', 'CONFIG.INVALID_PATH', 'CONFIG.NODE_NOT_FOUND', 'CONFIG.VALUE_REJECTED']),
    );
  });
});

describe('value rules say what was broken and why', () => {
  const rejection = (schema: KeySchema, value: unknown): unknown => {
    const checked = validateValue('sms.max_parts', schema, value);
    return checked.ok ? 'accepted' : { message: checked.error.message, details: checked.error.details };
  };
  const broken = (rule: string, why: string) => ({
    message: `value of sms.max_parts breaks rule ${rule}: ${why}`,
    details: { key: 'sms.max_parts', rule },
  });

  it.each<[string, KeySchema, unknown, unknown]>([
    ['a string for an integer', { type: 'integer' }, '5', broken('type', 'expected an integer')],
    ['a string for a number', { type: 'number' }, '5', broken('type', 'expected a number')],
    ['an infinite number', { type: 'number' }, Number.POSITIVE_INFINITY, broken('finite', 'must be a finite number')],
    ['a fraction for an integer', { type: 'integer' }, 1.5, broken('integer', 'must be a whole number')],
    ['a number below the minimum', { type: 'integer', minimum: 2 }, 1, broken('minimum', 'must be ≥ 2')],
    ['a number above the maximum', { type: 'integer', maximum: 9 }, 10, broken('maximum', 'must be ≤ 9')],
    ['a string for a boolean', { type: 'boolean' }, 'yes', broken('type', 'expected a boolean')],
    ['a number for a string', { type: 'string' }, 1, broken('type', 'expected a string')],
    ['a short string', { type: 'string', minLength: 3 }, 'ab', broken('minLength', 'must have at least 3 characters')],
    ['a long string', { type: 'string', maxLength: 3 }, 'abcd', broken('maxLength', 'must have at most 3 characters')],
    ['a string off its pattern', { type: 'string', pattern: '[a-z]+' }, 'A1', broken('pattern', 'must match [a-z]+')],
    ['a number for an enum', { type: 'enum', values: ['gsm7'] }, 1, broken('type', 'expected a string')],
    ['a non-member of an enum', { type: 'enum', values: ['gsm7', 'ucs2'] }, 'x', broken('enum', 'must be one of gsm7, ucs2')],
    ['a number for a duration', { type: 'duration' }, 30, broken('type', 'expected a duration string such as 30s')],
    [
      'a malformed duration',
      { type: 'duration' },
      '30 seconds',
      broken('format', 'expected a number and one unit of ms, s, m, h, d (e.g. 30s)'),
    ],
    ['a duration below the minimum', { type: 'duration', minimum: '1s' }, '999ms', broken('minimum', 'must be at least 1s')],
    ['a duration above the maximum', { type: 'duration', maximum: '1m' }, '61s', broken('maximum', 'must be at most 1m')],
    ['a string for a list', { type: 'string-list' }, 'a', broken('type', 'expected a list of strings')],
    ['a list with a number', { type: 'string-list' }, ['a', 1], broken('type', 'every item must be a string')],
    ['a short list', { type: 'string-list', minItems: 2 }, ['a'], broken('minItems', 'must have at least 2 items')],
    ['a long list', { type: 'string-list', maxItems: 1 }, ['a', 'b'], broken('maxItems', 'must have at most 1 items')],
    [
      'a list with a long item',
      { type: 'string-list' },
      ['a', 'x'.repeat(4097)],
      broken('maxLength', 'items must have at most 4096 characters'),
    ],
    ['a list item off its pattern', { type: 'string-list', itemPattern: '[0-9]+' }, ['1', 'a'], broken('itemPattern', 'every item must match [0-9]+')],
    ['a repeated item', { type: 'string-list', uniqueItems: true }, ['a', 'a'], broken('uniqueItems', 'items must not repeat')],
  ])('refuses %s', (_label, schema, value, expected) => {
    expect(rejection(schema, value)).toEqual(expected);
  });

  it.each<[string, KeySchema, unknown]>([
    ['a string of exactly minLength characters', { type: 'string', minLength: 3 }, 'abc'],
    ['a string of exactly maxLength characters', { type: 'string', maxLength: 3 }, 'abc'],
    ['a string of exactly 4096 characters', { type: 'string' }, 'x'.repeat(4096)],
    ['a string with no length rules', { type: 'string' }, ''],
    ['a duration at its minimum', { type: 'duration', minimum: '1s' }, '1000ms'],
    ['a duration at its maximum', { type: 'duration', maximum: '1m' }, '60s'],
    ['a duration with no bounds', { type: 'duration' }, '5d'],
    ['a list of exactly minItems items', { type: 'string-list', minItems: 2 }, ['a', 'b']],
    ['a list of exactly maxItems items', { type: 'string-list', maxItems: 2 }, ['a', 'b']],
    ['an empty list with no item rules', { type: 'string-list' }, []],
    ['a list item of exactly 4096 characters', { type: 'string-list' }, ['x'.repeat(4096)]],
    ['repeated items when repeats are allowed', { type: 'string-list' }, ['a', 'a']],
    ['a list whose items all match', { type: 'string-list', itemPattern: '[0-9]+' }, ['1', '22']],
  ])('accepts %s', (_label, schema, value) => {
    expect(rejection(schema, value)).toBe('accepted');
  });

  it('anchors a string pattern at both ends', () => {
    expect(rejection({ type: 'string', pattern: '[a-z]+' }, 'ab1')).toEqual(broken('pattern', 'must match [a-z]+'));
    expect(rejection({ type: 'string', pattern: '[a-z]+' }, '1ab')).toEqual(broken('pattern', 'must match [a-z]+'));
  });
});

describe('domain events', () => {
  const node: ConfigNode = {
    id: 'node-1',
    level: 'tenant',
    name: 'acme',
    parentId: 'root',
    path: '/GLOBAL/tenant:acme',
    tenantId: 'acme',
    isTenantRoot: true,
    overrides: {},
    locks: [],
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  };
  const ctx = { actor: { subjectId: 'alice' }, reason: 'ticket 42' };
  const ref = { nodeId: 'node-1', path: '/GLOBAL/tenant:acme', tenantId: 'acme', version: 3 };
  const key = (sensitive: boolean): KeyDefinition => ({
    key: 'smpp.password',
    schema: { type: 'string', default: 'changeme' },
    description: 'bind password',
    sensitive,
    ownerService: 'smpp-gateway',
    deprecated: false,
    version: 2,
    definedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  it('describes node changes on the node aggregate of its tenant', () => {
    expect(nodeCreated(node, ctx)).toEqual({
      type: 'config.node.created.v1',
      aggregateType: 'config-node',
      aggregateId: 'node-1',
      tenantId: 'acme',
      data: { ...ref, parentId: 'root', level: 'tenant', name: 'acme', ...ctx },
    });
    const moved = { ...node, parentId: 'region-1', path: '/GLOBAL/region:kabul/tenant:acme' };
    expect(nodeMoved(node, moved, 2, ctx).data).toEqual({
      ...ref,
      path: '/GLOBAL/region:kabul/tenant:acme',
      fromPath: '/GLOBAL/tenant:acme',
      fromParentId: 'root',
      toParentId: 'region-1',
      movedDescendants: 2,
      ...ctx,
    });
    const descendants = [{ nodeId: 'node-2', path: '/GLOBAL/tenant:acme/sub-account:x' }];
    expect(nodeDeleted(node, descendants, ctx)).toMatchObject({
      type: 'config.node.deleted.v1',
      data: { ...ref, deletedDescendants: descendants, ...ctx },
    });
  });

  it('shows set and cleared values, hiding them for sensitive keys', () => {
    expect(valueSet(node, key(false), 'a', 'b', ctx)).toMatchObject({
      type: 'config.value.set.v1',
      data: { ...ref, key: 'smpp.password', before: 'a', after: 'b', redacted: false, ...ctx },
    });
    expect(valueSet(node, key(true), 'a', 'b', ctx).data).toMatchObject({ before: null, after: null, redacted: true });
    expect(valueCleared(node, 'sms.max_parts', 5, false, ctx)).toMatchObject({
      type: 'config.value.cleared.v1',
      data: { ...ref, key: 'sms.max_parts', before: 5, redacted: false, ...ctx },
    });
    expect(valueCleared(node, 'smpp.password', 'secret', true, ctx).data).toMatchObject({ before: null, redacted: true });
  });

  it('tells a lock set from a lock removed', () => {
    expect(lockChanged('set', node, 'sms.max_parts', ctx)).toMatchObject({
      type: 'config.lock.set.v1',
      data: { ...ref, key: 'sms.max_parts', ...ctx },
    });
    expect(lockChanged('removed', node, 'sms.max_parts', ctx).type).toBe('config.lock.removed.v1');
  });

  it('lists a rollback diff, hiding the values of sensitive keys', () => {
    const diff = [
      { key: 'sms.max_parts', before: { value: 5, locked: false }, after: { value: 3, locked: true } },
      { key: 'smpp.password', before: { value: 'old', locked: false }, after: { value: null, locked: false } },
    ];
    expect(nodeRolledBack(node, 1, diff, (k) => k === 'smpp.password', ctx)).toEqual({
      type: 'config.node.rolled-back.v1',
      aggregateType: 'config-node',
      aggregateId: 'node-1',
      tenantId: 'acme',
      data: {
        ...ref,
        toVersion: 1,
        diff: [
          { key: 'sms.max_parts', before: { value: 5, locked: false }, after: { value: 3, locked: true }, redacted: false },
          { key: 'smpp.password', before: { value: null, locked: false }, after: { value: null, locked: false }, redacted: true },
        ],
        ...ctx,
      },
    });
  });

  it('describes key definitions without the default of a sensitive key', () => {
    expect(keyDefined(key(false), ctx.actor)).toEqual({
      type: 'config.key.defined.v1',
      aggregateType: 'config-key',
      aggregateId: 'smpp.password',
      tenantId: null,
      data: {
        key: 'smpp.password',
        version: 2,
        schema: { type: 'string', default: 'changeme' },
        description: 'bind password',
        sensitive: false,
        ownerService: 'smpp-gateway',
        deprecated: false,
        actor: ctx.actor,
      },
    });
    const updated = keyUpdated(key(false), key(true), ctx);
    expect(updated).toMatchObject({ type: 'config.key.updated.v1', aggregateId: 'smpp.password', tenantId: null });
    expect(updated.data).toMatchObject({
      key: 'smpp.password',
      version: 2,
      before: { schema: { type: 'string', default: 'changeme' }, sensitive: false },
      after: { schema: { type: 'string' }, sensitive: true },
      ...ctx,
    });
  });

  it('describes role assignments and policy changes', () => {
    const assignment: RoleAssignment = {
      id: 'as-1',
      subjectId: 'bob',
      role: 'tenant-admin',
      tenantId: 'acme',
      assignedBy: 'alice',
      assignedAt: '2026-01-01T00:00:00.000Z',
    };
    const assignmentData = { assignmentId: 'as-1', subjectId: 'bob', role: 'tenant-admin', tenantId: 'acme', ...ctx };
    expect(roleAssigned(assignment, ctx)).toEqual({
      type: 'config.role.assigned.v1',
      aggregateType: 'config-role-assignment',
      aggregateId: 'as-1',
      tenantId: 'acme',
      data: assignmentData,
    });
    expect(roleRevoked(assignment, ctx)).toMatchObject({ type: 'config.role.revoked.v1', data: assignmentData });

    const role: RoleDefinition = { name: 'auditor', description: 'reads', system: false, tenantAssignable: true, grants: [], version: 1, updatedAt: '2026-01-01T00:00:00.000Z' };
    const snapshot = { description: 'reads', tenantAssignable: true, grants: [] };
    expect(policyChanged('auditor', null, role, 1, ctx)).toEqual({
      type: 'config.policy.changed.v1',
      aggregateType: 'config-role',
      aggregateId: 'auditor',
      tenantId: null,
      data: { role: 'auditor', change: 'created', version: 1, before: null, after: snapshot, ...ctx },
    });
    expect(policyChanged('auditor', role, role, 2, ctx).data['change']).toBe('updated');
    expect(policyChanged('auditor', role, null, 3, ctx).data).toMatchObject({ change: 'removed', before: snapshot, after: null });
  });

  it('names every event type <domain>.<entity>.<verb>.v1', () => {
    expect(Object.values(CONFIG_EVENT_TYPES)).toEqual([
      'config.node.created.v1',
      'config.node.moved.v1',
      'config.node.deleted.v1',
      'config.key.defined.v1',
      'config.key.updated.v1',
      'config.value.set.v1',
      'config.value.cleared.v1',
      'config.lock.set.v1',
      'config.lock.removed.v1',
      'config.node.rolled-back.v1',
      'config.role.assigned.v1',
      'config.role.revoked.v1',
      'config.policy.changed.v1',
    ]);
  });
});
