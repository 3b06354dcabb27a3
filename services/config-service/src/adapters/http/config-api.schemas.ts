import { z } from 'zod';
import { ACCESS_ACTIONS, GRANT_KEYS, GRANT_SCOPES } from '../../domain/access.js';
import { KEY_TYPES } from '../../domain/key-definition.js';
import { CHANGE_KINDS } from '../../domain/node-version.js';

// Request and response shapes of the REST API (docs/api.md). Requests are checked here for shape
// (a bad shape is REQUEST.VALIDATION_FAILED naming the field); the domain checks meaning.

export const configValueSchema = z
  .union([z.number(), z.boolean(), z.string(), z.array(z.string())])
  .describe('A configuration value: number, boolean, string or list of strings');

const reason = z.string().min(1).max(500).describe('Why the change is made (recorded in the history)');
const expectedVersion = z.number().int().min(1).optional().describe('Refuse the change (CONFIG.VERSION_CONFLICT) unless the node is at this version');

export const nodeParamsSchema = z.object({
  node: z
    .string()
    .min(1)
    .max(1100)
    .describe('The node: its id, `node:<id>`, `tenant:<tenantId>` (the tenant’s root node) or its URL-encoded path (`%2FGLOBAL%2Fregion%3Akabul`)'),
});
export const nodeKeyParamsSchema = nodeParamsSchema.extend({ key: z.string().min(1).max(128).describe('Key name, e.g. sms.max_parts_per_message') });

export const resolveQuerySchema = z.object({
  node: z.string().min(1).max(1100).describe('Path (`/GLOBAL/...`), `tenant:<tenantId>` or `node:<id>`'),
  keys: z.string().max(4096).optional().describe('Comma-separated key names; all keys the caller may read when absent'),
});
export const resolvedQuerySchema = resolveQuerySchema.omit({ node: true });
export const byPathQuerySchema = z.object({ path: z.string().min(1).max(1100).describe('Canonical node path, e.g. /GLOBAL/region:kabul') });
export const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional().describe('At most this many versions (default 50)'),
  before: z.coerce.number().int().min(1).optional().describe('Only versions older than this one (paging backwards)'),
});

export const createNodeBodySchema = z
  .object({
    parent: z.string().min(1).max(1100).describe('The parent: path, `tenant:<tenantId>` or `node:<id>`'),
    level: z.string().min(1).max(32),
    name: z.string().min(1).max(63),
    tenantId: z.string().min(1).max(64).nullable().optional().describe('Only for a level that owns a tenant'),
    reason,
  })
  .strict();
export const moveNodeBodySchema = z.object({ newParent: z.string().min(1).max(1100), reason, expectedVersion }).strict();
export const changeBodySchema = z.object({ reason, expectedVersion }).strict();
export const setValueBodySchema = z.object({ value: z.unknown().describe('Checked against the key schema'), reason, expectedVersion }).strict();
export const rollbackBodySchema = z.object({ toVersion: z.number().int().min(1), reason, expectedVersion }).strict();

const numberOrDuration = z.union([z.number(), z.string().max(20)]);
export const keySchemaSchema = z
  .object({
    type: z.enum(KEY_TYPES),
    minimum: numberOrDuration.optional(),
    maximum: numberOrDuration.optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    pattern: z.string().max(1000).optional(),
    values: z.array(z.string()).max(1000).optional(),
    minItems: z.number().int().min(0).optional(),
    maxItems: z.number().int().min(0).optional(),
    itemPattern: z.string().max(1000).optional(),
    uniqueItems: z.boolean().optional(),
    default: configValueSchema.optional(),
  })
  .strict()
  .describe('The key schema: type, bounds, default (docs/domain-model.md, Keys)');

export const defineKeyBodySchema = z
  .object({
    key: z.string().min(1).max(128),
    schema: keySchemaSchema,
    description: z.string().max(1000).default(''),
    sensitive: z.boolean().default(false),
    ownerService: z.string().max(64).nullable().default(null),
  })
  .strict();
export const updateKeyBodySchema = z
  .object({
    schema: keySchemaSchema.optional(),
    description: z.string().max(1000).optional(),
    sensitive: z.boolean().optional(),
    ownerService: z.string().max(64).nullable().optional(),
    deprecated: z.boolean().optional(),
    reason,
    expectedVersion,
  })
  .strict();
export const keyParamsSchema = z.object({ key: z.string().min(1).max(128) });

const grantSchema = z.object({ actions: z.array(z.enum(ACCESS_ACTIONS)).min(1), scope: z.enum(GRANT_SCOPES), keys: z.enum(GRANT_KEYS) }).strict();
export const roleParamsSchema = z.object({ name: z.string().min(1).max(63) });
export const putRoleBodySchema = z
  .object({
    description: z.string().max(500).default(''),
    tenantAssignable: z.boolean(),
    grants: z.array(grantSchema).min(1).max(50),
    reason,
    expectedVersion: z.number().int().min(1).nullable().optional().describe('null: the role must not exist yet; a number: it must be at this version'),
  })
  .strict();
export const removeRoleBodySchema = z.object({ reason }).strict();

export const assignmentBodySchema = z
  .object({
    assignee: z.string().min(1).max(200).describe('The subject receiving or losing the role'),
    role: z.string().min(1).max(63),
    tenantId: z.string().min(1).max(64).nullable().describe('The tenant the assignment binds to; null for platform-wide'),
    reason,
  })
  .strict();
export const assignmentsQuerySchema = z.object({
  assignee: z.string().min(1).max(200).optional(),
  role: z.string().min(1).max(63).optional(),
  tenantId: z.string().min(1).max(64).optional(),
});

// Responses

/** Values as responses carry them (lists are read-only in the domain). */
const responseValueSchema = z.union([z.number(), z.boolean(), z.string(), z.array(z.string()).readonly()]);
const valueViewSchema = z.object({ value: responseValueSchema.nullable(), redacted: z.boolean() });
const lockHolderSchema = z.object({ nodeId: z.string(), path: z.string() });

export const nodeChangeResultSchema = z.object({
  nodeId: z.string(),
  path: z.string(),
  version: z.number().int().describe('The node’s version after the request'),
  changed: z.boolean().describe('False when the request changed nothing (the node already was so)'),
});
export const moveResultSchema = nodeChangeResultSchema.extend({ fromPath: z.string() });
export const deleteResultSchema = z.object({ nodeId: z.string(), path: z.string(), deletedDescendants: z.array(z.string()).readonly() });

export const nodeViewSchema = z.object({
  id: z.string(),
  level: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  path: z.string(),
  tenantId: z.string().nullable(),
  isTenantRoot: z.boolean(),
  overrides: z.record(z.string(), valueViewSchema).describe('Only the values set at this node'),
  locks: z.array(z.string()).readonly(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const keyDiffSideSchema = valueViewSchema.extend({ locked: z.boolean() });
export const historySchema = z.object({
  versions: z.array(
    z.object({
      version: z.number().int(),
      change: z.enum(CHANGE_KINDS),
      author: z.string(),
      reason: z.string(),
      at: z.string(),
      diff: z.array(z.object({ key: z.string(), before: keyDiffSideSchema, after: keyDiffSideSchema })).readonly(),
      rolledBackTo: z.number().int().nullable(),
    }),
  ),
});

export const resolvedSchema = z.object({
  nodeId: z.string(),
  path: z.string(),
  tenantId: z.string().nullable(),
  values: z.record(
    z.string(),
    z.object({
      value: responseValueSchema.nullable().describe('null when redacted'),
      redacted: z.boolean(),
      source: z.union([z.object({ kind: z.literal('node'), nodeId: z.string(), path: z.string() }), z.object({ kind: z.literal('default') })]),
      lockedAt: lockHolderSchema.nullable(),
      deprecated: z.boolean(),
    }),
  ),
  cached: z.boolean().describe('True when answered from the resolution cache'),
});

export const keyDefinitionSchema = z.object({
  key: z.string(),
  schema: z.record(z.string(), z.unknown()),
  description: z.string(),
  sensitive: z.boolean(),
  ownerService: z.string().nullable(),
  deprecated: z.boolean(),
  version: z.number().int(),
  definedAt: z.string(),
  updatedAt: z.string(),
});
export const keyListSchema = z.object({ keys: z.array(keyDefinitionSchema).readonly() });

export const roleSchema = z.object({
  name: z.string(),
  description: z.string(),
  system: z.boolean(),
  tenantAssignable: z.boolean(),
  grants: z.array(z.object({ actions: z.array(z.string()).readonly(), scope: z.string(), keys: z.string() })).readonly(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export const roleListSchema = z.object({ roles: z.array(roleSchema).readonly() });

export const assignmentSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  role: z.string(),
  tenantId: z.string().nullable(),
  assignedBy: z.string(),
  assignedAt: z.string(),
});
export const assignmentListSchema = z.object({ assignments: z.array(assignmentSchema).readonly() });
export const assignResultSchema = z.object({ assignment: assignmentSchema, changed: z.boolean() });
export const changedSchema = z.object({ changed: z.boolean() });
export const removedSchema = z.object({ removed: z.literal(true) });
