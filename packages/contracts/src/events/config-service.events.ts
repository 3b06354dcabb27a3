import type { EventContract } from '../event-contract.js';

/**
 * The 13 events config-service produces (docs: services/config-service/docs/events.md). Each is
 * published on the subject equal to its type, through the service's outbox. Sensitive values
 * never appear: value fields are null with `redacted: true`, and a sensitive key's default is left out.
 */

const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';
const PRODUCER = 'config-service';
const idFor = (type: string): string => `https://schemas.sms-platform.dev/events/${type}.json`;

const ACCESS_ACTIONS = [
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
  'key.read',
  'key.define',
  'key.update',
  'role.read',
  'role.assign',
  'role.revoke',
  'policy.read',
  'policy.change',
];

const nodeId = { type: 'string', minLength: 1, maxLength: 64 } as const;
const path = {
  type: 'string',
  maxLength: 1024,
  pattern: '^/GLOBAL(/[a-z][a-z0-9-]{0,31}:[a-z0-9][a-z0-9_-]{0,62})*$',
} as const;
const tenantId = { type: ['string', 'null'], minLength: 1, maxLength: 64 } as const;
const version = { type: 'integer', minimum: 1 } as const;
const reason = { type: 'string', minLength: 1, maxLength: 500 } as const;
const keyName = { type: 'string', maxLength: 128, pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$' } as const;
const serviceName = { type: ['string', 'null'], pattern: '^[a-z][a-z0-9-]{1,62}$' } as const;
const actor = {
  type: 'object',
  additionalProperties: false,
  required: ['subjectId'],
  properties: { subjectId: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;
const configValue = {
  anyOf: [
    { type: 'number' },
    { type: 'boolean' },
    { type: 'string', maxLength: 4096 },
    { type: 'array', maxItems: 256, items: { type: 'string', maxLength: 4096 } },
  ],
} as const;
const maybeValue = { anyOf: [configValue, { type: 'null' }] } as const;
const numberOrDuration = { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^[0-9]{1,12}(ms|s|m|h|d)$' }] } as const;
const keySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['integer', 'number', 'boolean', 'string', 'enum', 'duration', 'string-list'] },
    minimum: numberOrDuration,
    maximum: numberOrDuration,
    minLength: { type: 'integer', minimum: 0 },
    maxLength: { type: 'integer', minimum: 0 },
    pattern: { type: 'string' },
    values: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    minItems: { type: 'integer', minimum: 0 },
    maxItems: { type: 'integer', minimum: 0 },
    itemPattern: { type: 'string' },
    uniqueItems: { type: 'boolean' },
    default: configValue,
  },
} as const;
const keySnapshot = {
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'description', 'sensitive', 'ownerService', 'deprecated'],
  properties: {
    schema: keySchema,
    description: { type: 'string', maxLength: 1000 },
    sensitive: { type: 'boolean' },
    ownerService: serviceName,
    deprecated: { type: 'boolean' },
  },
} as const;
const grant = {
  type: 'object',
  additionalProperties: false,
  required: ['actions', 'scope', 'keys'],
  properties: {
    actions: { type: 'array', minItems: 1, items: { enum: ACCESS_ACTIONS } },
    scope: { enum: ['everywhere', 'own-tenant', 'own-tenant-below-root'] },
    keys: { enum: ['all', 'owned-by-subject-service'] },
  },
} as const;
const roleSnapshot = {
  anyOf: [
    { type: 'null' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['description', 'tenantAssignable', 'grants'],
      properties: {
        description: { type: 'string', maxLength: 500 },
        tenantAssignable: { type: 'boolean' },
        grants: { type: 'array', minItems: 1, items: grant },
      },
    },
  ],
} as const;
const keyState = {
  type: 'object',
  additionalProperties: false,
  required: ['value', 'locked'],
  properties: { value: maybeValue, locked: { type: 'boolean' } },
} as const;

const nodeBase = { nodeId, path, tenantId, version, actor, reason } as const;
const nodeRequired = ['nodeId', 'path', 'tenantId', 'version', 'actor', 'reason'];

function objectSchema(type: string, title: string, properties: Record<string, unknown>, required: readonly string[]) {
  return {
    $schema: SCHEMA,
    $id: idFor(type),
    title,
    type: 'object',
    additionalProperties: false,
    required: [...required],
    properties,
  };
}

const ACTOR = { subjectId: 'user:0190f5a1-7c1e-7a8b-9d3e-5f6a7b8c9d0e' };
const ACME = '0190f5a1-0000-7000-8000-000000000ac1';
const NODE = '0190f5a2-1d2e-7f30-8a41-b52c63d74e85';
const ACME_PATH = '/GLOBAL/region:kabul/tenant:acme';

const contract = (
  type: string,
  description: string,
  properties: Record<string, unknown>,
  required: readonly string[],
  example: Record<string, unknown>,
): EventContract => ({
  type,
  subject: type,
  producer: PRODUCER,
  description,
  schema: objectSchema(type, type, properties, required),
  example,
});

export const configServiceEvents: EventContract[] = [
  contract(
    'config.node.created.v1',
    'A configuration node was created (by an administrator, or from tenant.created.v1 for a tenant node).',
    {
      ...nodeBase,
      parentId: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
      level: { type: 'string', pattern: '^(GLOBAL|[a-z][a-z0-9-]{0,31})$' },
      name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
    },
    [...nodeRequired, 'parentId', 'level', 'name'],
    {
      nodeId: NODE,
      path: ACME_PATH,
      tenantId: ACME,
      version: 1,
      parentId: '0190f5a2-0000-7000-8000-0000000000aa',
      level: 'tenant',
      name: 'acme',
      actor: { subjectId: 'system:tenant-events' },
      reason: 'tenant.created.v1 0190f5a2-aaaa-7bbb-8ccc-dddddddddddd',
    },
  ),
  contract(
    'config.node.moved.v1',
    'A node and its subtree moved under another parent; resolved values of the whole subtree may change.',
    {
      ...nodeBase,
      fromPath: path,
      fromParentId: nodeId,
      toParentId: nodeId,
      movedDescendants: { type: 'integer', minimum: 0 },
    },
    [...nodeRequired, 'fromPath', 'fromParentId', 'toParentId', 'movedDescendants'],
    {
      nodeId: NODE,
      path: '/GLOBAL/region:herat/tenant:acme',
      tenantId: ACME,
      version: 7,
      fromPath: ACME_PATH,
      fromParentId: '0190f5a2-0000-7000-8000-0000000000aa',
      toParentId: '0190f5a2-0000-7000-8000-0000000000bb',
      movedDescendants: 2,
      actor: ACTOR,
      reason: 'tenant relocated to the Herat region',
    },
  ),
  contract(
    'config.node.deleted.v1',
    'A node was deleted together with its subtree (their history is kept).',
    {
      ...nodeBase,
      deletedDescendants: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['nodeId', 'path'],
          properties: { nodeId, path },
        },
      },
    },
    [...nodeRequired, 'deletedDescendants'],
    {
      nodeId: NODE,
      path: ACME_PATH,
      tenantId: ACME,
      version: 8,
      deletedDescendants: [{ nodeId: '0190f5a2-3333-7000-8000-000000000001', path: `${ACME_PATH}/sub-account:billing` }],
      actor: { subjectId: 'system:tenant-events' },
      reason: 'tenant.deleted.v1 0190f5a2-eeee-7bbb-8ccc-dddddddddddd',
    },
  ),
  contract(
    'config.key.defined.v1',
    'A key was added to the catalogue; its default now resolves everywhere.',
    {
      key: keyName,
      version,
      schema: keySchema,
      description: { type: 'string', maxLength: 1000 },
      sensitive: { type: 'boolean' },
      ownerService: serviceName,
      deprecated: { type: 'boolean' },
      actor,
    },
    ['key', 'version', 'schema', 'description', 'sensitive', 'ownerService', 'deprecated', 'actor'],
    {
      key: 'sms.max_parts_per_message',
      version: 1,
      schema: { type: 'integer', minimum: 1, maximum: 10, default: 6 },
      description: 'Largest number of concatenated parts one submitted message may need.',
      sensitive: false,
      ownerService: 'sms-orchestrator',
      deprecated: false,
      actor: ACTOR,
    },
  ),
  contract(
    'config.key.updated.v1',
    'A key definition changed: schema, description, sensitivity, owner or deprecation.',
    { key: keyName, version, before: keySnapshot, after: keySnapshot, actor, reason },
    ['key', 'version', 'before', 'after', 'actor', 'reason'],
    {
      key: 'sms.max_parts_per_message',
      version: 2,
      before: {
        schema: { type: 'integer', minimum: 1, maximum: 10, default: 6 },
        description: 'Largest number of parts.',
        sensitive: false,
        ownerService: 'sms-orchestrator',
        deprecated: false,
      },
      after: {
        schema: { type: 'integer', minimum: 1, maximum: 16, default: 6 },
        description: 'Largest number of parts.',
        sensitive: false,
        ownerService: 'sms-orchestrator',
        deprecated: false,
      },
      actor: ACTOR,
      reason: 'operators accept 16 parts now',
    },
  ),
  contract(
    'config.value.set.v1',
    'An override was set or changed at a node (before is null when there was none).',
    { ...nodeBase, key: keyName, before: maybeValue, after: maybeValue, redacted: { type: 'boolean' } },
    [...nodeRequired, 'key', 'before', 'after', 'redacted'],
    {
      nodeId: NODE,
      path: ACME_PATH,
      tenantId: ACME,
      version: 3,
      key: 'sms.submit_rate_per_second',
      before: 100,
      after: 250,
      redacted: false,
      actor: ACTOR,
      reason: 'contract upgrade',
    },
  ),
  contract(
    'config.value.cleared.v1',
    'An override was removed at a node; the key follows the parent again.',
    { ...nodeBase, key: keyName, before: maybeValue, redacted: { type: 'boolean' } },
    [...nodeRequired, 'key', 'before', 'redacted'],
    {
      nodeId: NODE,
      path: ACME_PATH,
      tenantId: ACME,
      version: 4,
      key: 'sms.submit_rate_per_second',
      before: 250,
      redacted: false,
      actor: ACTOR,
      reason: 'back to the regional rate',
    },
  ),
  contract(
    'config.lock.set.v1',
    'A key was locked at a node: descendants can no longer override it.',
    { ...nodeBase, key: keyName },
    [...nodeRequired, 'key'],
    {
      nodeId: '0190f5a2-0000-7000-8000-0000000000aa',
      path: '/GLOBAL/region:kabul',
      tenantId: null,
      version: 5,
      key: 'sms.max_parts_per_message',
      actor: ACTOR,
      reason: 'regulator caps message length in this region',
    },
  ),
  contract(
    'config.lock.removed.v1',
    'A lock was removed at a node: descendants may override the key again.',
    { ...nodeBase, key: keyName },
    [...nodeRequired, 'key'],
    {
      nodeId: '0190f5a2-0000-7000-8000-0000000000aa',
      path: '/GLOBAL/region:kabul',
      tenantId: null,
      version: 6,
      key: 'sms.max_parts_per_message',
      actor: ACTOR,
      reason: 'cap lifted',
    },
  ),
  contract(
    'config.node.rolled-back.v1',
    "A node's overrides and locks were restored to an earlier version (itself a new version).",
    {
      ...nodeBase,
      toVersion: version,
      diff: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'before', 'after', 'redacted'],
          properties: { key: keyName, before: keyState, after: keyState, redacted: { type: 'boolean' } },
        },
      },
    },
    [...nodeRequired, 'toVersion', 'diff'],
    {
      nodeId: NODE,
      path: ACME_PATH,
      tenantId: ACME,
      version: 9,
      toVersion: 3,
      diff: [{ key: 'sms.submit_rate_per_second', before: { value: null, locked: false }, after: { value: 250, locked: false }, redacted: false }],
      actor: ACTOR,
      reason: 'undo the accidental clear',
    },
  ),
  contract(
    'config.role.assigned.v1',
    'A subject was given a role, platform-wide (tenantId null) or inside one tenant.',
    {
      assignmentId: nodeId,
      subjectId: { type: 'string', minLength: 1, maxLength: 200 },
      role: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$' },
      tenantId,
      actor,
      reason,
    },
    ['assignmentId', 'subjectId', 'role', 'tenantId', 'actor', 'reason'],
    {
      assignmentId: '0190f5a2-4444-7000-8000-000000000001',
      subjectId: 'user:0190f5a1-1111-7000-8000-000000000002',
      role: 'tenant-admin',
      tenantId: ACME,
      actor: ACTOR,
      reason: 'new administrator for acme',
    },
  ),
  contract(
    'config.role.revoked.v1',
    'A role assignment was removed.',
    {
      assignmentId: nodeId,
      subjectId: { type: 'string', minLength: 1, maxLength: 200 },
      role: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$' },
      tenantId,
      actor,
      reason,
    },
    ['assignmentId', 'subjectId', 'role', 'tenantId', 'actor', 'reason'],
    {
      assignmentId: '0190f5a2-4444-7000-8000-000000000001',
      subjectId: 'user:0190f5a1-1111-7000-8000-000000000002',
      role: 'tenant-admin',
      tenantId: ACME,
      actor: ACTOR,
      reason: 'administrator left acme',
    },
  ),
  contract(
    'config.policy.changed.v1',
    'The access policy changed: a custom role was created, updated or removed (every replica reloads its policy).',
    {
      role: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$' },
      change: { enum: ['created', 'updated', 'removed'] },
      version,
      before: roleSnapshot,
      after: roleSnapshot,
      actor,
      reason,
    },
    ['role', 'change', 'version', 'before', 'after', 'actor', 'reason'],
    {
      role: 'billing-editor',
      change: 'created',
      version: 1,
      before: null,
      after: {
        description: 'Edits billing keys inside one tenant.',
        tenantAssignable: true,
        grants: [{ actions: ['node.read', 'config.resolve', 'value.set', 'value.clear'], scope: 'own-tenant', keys: 'all' }],
      },
      actor: ACTOR,
      reason: 'finance teams manage their own settings',
    },
  ),
];
