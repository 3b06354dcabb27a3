import { ACCESS_ACTIONS } from './access.js';
import type { RoleDefinition } from './access.js';
import type { LevelDefinition } from './config-levels.js';
import type { KeyDraft } from './key-definition.js';
import { ROOT_LEVEL, ROOT_PATH } from './node-path.js';

/**
 * Seed data, as data: the migration inserts exactly these rows and a test compares the database
 * with them. Changing a system role means a new migration that updates its row and bumps its version.
 */
const SEEDED_AT = '2026-01-01T00:00:00.000Z';

/** GLOBAL → operator | region → tenant → sub-account. A tenant may also hang directly under GLOBAL. */
export const seedLevels: readonly LevelDefinition[] = [
  { name: ROOT_LEVEL, parents: [], ownsTenant: false, description: 'The national defaults; every node descends from it.' },
  { name: 'operator', parents: [ROOT_LEVEL], ownsTenant: false, description: 'A mobile network operator (MNO).' },
  { name: 'region', parents: [ROOT_LEVEL], ownsTenant: false, description: 'A geographic region (e.g. a province).' },
  {
    name: 'tenant',
    parents: [ROOT_LEVEL, 'operator', 'region'],
    ownsTenant: true,
    description: 'A customer of the platform; its subtree belongs to it.',
  },
  { name: 'sub-account', parents: ['tenant'], ownsTenant: false, description: "A department or application of a tenant." },
];

/** The fixed id of the GLOBAL node (the same in every installation). */
export const GLOBAL_NODE_ID = '00000000-0000-7000-8000-000000000001';

export const seedGlobalNode = {
  id: GLOBAL_NODE_ID,
  level: ROOT_LEVEL,
  path: ROOT_PATH,
  author: 'system:migration',
  reason: 'initial GLOBAL node',
  createdAt: SEEDED_AT,
} as const;

export const systemRoles: readonly RoleDefinition[] = [
  {
    name: 'platform-admin',
    description: 'Operates the platform: every action on every node, the key catalogue, roles and policies.',
    system: true,
    tenantAssignable: false,
    grants: [{ actions: [...ACCESS_ACTIONS], scope: 'everywhere', keys: 'all' }],
    version: 1,
    updatedAt: SEEDED_AT,
  },
  {
    name: 'tenant-admin',
    description:
      "Administers one tenant's subtree: reads and changes values, locks and history there, creates sub-accounts, and assigns tenant roles inside the tenant. Never sees above its tenant node, never reads sensitive values.",
    system: true,
    tenantAssignable: true,
    grants: [
      {
        actions: [
          'node.read',
          'node.create',
          'history.read',
          'node.rollback',
          'config.resolve',
          'value.set',
          'value.clear',
          'lock.set',
          'lock.remove',
          'key.read',
          'role.read',
          'role.assign',
          'role.revoke',
        ],
        scope: 'own-tenant',
        keys: 'all',
      },
      { actions: ['node.move', 'node.delete'], scope: 'own-tenant-below-root', keys: 'all' },
    ],
    version: 1,
    updatedAt: SEEDED_AT,
  },
  {
    name: 'read-only',
    description:
      'Reads nodes, resolved values, history, the key catalogue, role assignments and policies; changes nothing and never reads sensitive values. Bound to a tenant, it reads only that tenant.',
    system: true,
    tenantAssignable: true,
    grants: [
      {
        actions: ['node.read', 'history.read', 'config.resolve', 'key.read', 'role.read', 'policy.read'],
        scope: 'everywhere',
        keys: 'all',
      },
    ],
    version: 1,
    updatedAt: SEEDED_AT,
  },
  {
    name: 'service',
    description:
      "A platform service reading its own configuration: resolves (including sensitive values) only the keys whose ownerService is the service's name, at any node. Changes nothing.",
    system: true,
    tenantAssignable: false,
    grants: [{ actions: ['config.resolve', 'sensitive.read', 'key.read'], scope: 'everywhere', keys: 'owned-by-subject-service' }],
    version: 1,
    updatedAt: SEEDED_AT,
  },
];

/** Keys the platform needs from day one (the orchestrator reads the first two per tenant). */
export const seedKeys: readonly KeyDraft[] = [
  {
    key: 'sms.max_parts_per_message',
    schema: { type: 'integer', minimum: 1, maximum: 10, default: 6 },
    description: 'Largest number of concatenated parts one submitted message may need.',
    sensitive: false,
    ownerService: 'sms-orchestrator',
  },
  {
    key: 'sms.submit_rate_per_second',
    schema: { type: 'integer', minimum: 1, maximum: 100_000, default: 100 },
    description: 'Messages per second a tenant may submit before it gets 429 with Retry-After.',
    sensitive: false,
    ownerService: 'sms-orchestrator',
  },
];

export const configSeed = {
  levels: seedLevels,
  globalNode: seedGlobalNode,
  systemRoles,
  keys: seedKeys,
} as const;
