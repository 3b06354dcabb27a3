import { defineErrors } from '@sms/kernel';

/**
 * Every error code the config service answers with. Codes are stable: clients match on them,
 * the HTTP edge turns them into problem+json `type` URIs, and docs/errors.md lists each one
 * (a unit test checks that).
 */
export const configErrors = defineErrors({
  'CONFIG.INVALID_INPUT': {
    title: 'Invalid input',
    status: 400,
    cause: 'A field of the request is missing or malformed; `details.field` names it.',
  },
  'CONFIG.INVALID_PATH': {
    title: 'Invalid node path',
    status: 400,
    cause:
      'A node path is not in canonical form (`/GLOBAL/level:name/...`): empty segments, `.` or `..`, percent-encoding, backslashes, upper case or a trailing slash are refused, never normalised.',
  },
  'CONFIG.NODE_NOT_FOUND': {
    title: 'Configuration node not found',
    status: 404,
    cause:
      'No live node has this path or id, or the caller may not see it; the two cases answer identically so that the answer reveals nothing about other tenants.',
  },
  'CONFIG.PARENT_NOT_FOUND': {
    title: 'Parent node not found',
    status: 404,
    cause: 'The parent named for a new or moved node does not exist (or the caller may not see it).',
  },
  'CONFIG.UNKNOWN_LEVEL': {
    title: 'Unknown level',
    status: 422,
    cause: 'The level is not one of the configured levels (see the level definitions).',
  },
  'CONFIG.LEVEL_NOT_ALLOWED': {
    title: 'Level not allowed under this parent',
    status: 422,
    cause: "The node's level does not list the parent's level among its allowed parent levels.",
  },
  'CONFIG.PATH_CONFLICT': {
    title: 'Path already taken',
    status: 409,
    cause: 'A live sibling with the same level and name already exists under this parent.',
  },
  'CONFIG.ROOT_IMMUTABLE': {
    title: 'The GLOBAL node cannot be moved or deleted',
    status: 422,
    cause: 'The request tried to move or delete the GLOBAL root of the hierarchy.',
  },
  'CONFIG.MOVE_CYCLE': {
    title: 'Move would create a cycle',
    status: 422,
    cause: 'A node cannot be moved under itself or under one of its descendants.',
  },
  'CONFIG.TENANT_BOUNDARY': {
    title: 'Tenant boundary crossed',
    status: 422,
    cause:
      'The change would put a tenant-owned node into another tenant, or a tenant node inside another tenant subtree.',
  },
  'CONFIG.KEY_NOT_FOUND': {
    title: 'Configuration key not defined',
    status: 404,
    cause: 'No key definition exists with this name.',
  },
  'CONFIG.KEY_EXISTS': {
    title: 'Configuration key already defined',
    status: 409,
    cause: 'A key with this name is already defined; update it instead.',
  },
  'CONFIG.KEY_DEPRECATED': {
    title: 'Configuration key deprecated',
    status: 422,
    cause: 'The key is deprecated: existing overrides keep resolving and may be cleared, but no new value may be set.',
  },
  'CONFIG.INVALID_KEY_SCHEMA': {
    title: 'Invalid key schema',
    status: 400,
    cause: 'The key schema is inconsistent (bounds inverted, default outside the schema, bad pattern, empty enum, …); `details.rule` names the problem.',
  },
  'CONFIG.VALUE_REJECTED': {
    title: 'Value rejected by the key schema',
    status: 422,
    cause: 'The value breaks its key schema; `details.key` names the key and `details.rule` the rule it broke (type, minimum, maximum, pattern, enum, …).',
  },
  'CONFIG.KEY_LOCKED': {
    title: 'Key locked above this node',
    status: 409,
    cause: 'An ancestor locked this key, so descendants cannot override it; `details.lockedAt` is the locking node path.',
  },
  'CONFIG.SCHEMA_CONFLICT': {
    title: 'New key schema conflicts with stored overrides',
    status: 409,
    cause: 'Existing overrides of the key would break the new schema; clear or change them first (`details.nodes` lists them).',
  },
  'CONFIG.VERSION_CONFLICT': {
    title: 'Version conflict',
    status: 409,
    cause: 'The node (or key, or role) changed since the version the caller read; re-read and retry.',
  },
  'CONFIG.VERSION_NOT_FOUND': {
    title: 'Node version not found',
    status: 404,
    cause: 'The node has no version with this number.',
  },
  'CONFIG.ROLLBACK_REJECTED': {
    title: 'Rollback rejected',
    status: 422,
    cause:
      'The state of the target version is not valid today (a value breaks the current key schema, a key is now locked above, or a key is gone); `details.problems` lists each key and rule.',
  },
  'CONFIG.ACCESS_DENIED': {
    title: 'Access denied',
    status: 403,
    cause: 'The access policy does not allow this action to the caller on a resource the caller may see.',
  },
  'CONFIG.ROLE_NOT_FOUND': {
    title: 'Role not found',
    status: 404,
    cause: 'No role is defined with this name.',
  },
  'CONFIG.SYSTEM_ROLE_IMMUTABLE': {
    title: 'System roles cannot be changed',
    status: 409,
    cause: 'System roles (platform-admin, tenant-admin, read-only, service) are seeded by migration and changed only by migration.',
  },
  'CONFIG.INVALID_ROLE': {
    title: 'Invalid role definition',
    status: 400,
    cause: 'The role name or one of its grants is malformed (unknown action, unknown scope, no actions).',
  },
  'CONFIG.INVALID_EVENT': {
    title: 'Invalid consumed event',
    status: 400,
    cause: 'A consumed event (tenant.created.v1, tenant.deleted.v1) does not have the documented shape; the consumer dead-letters it.',
  },
});

export type ConfigErrorCode = keyof typeof configErrors;

/** An expected failure, returned as the error side of a Result. `message` never contains data the caller may not see. */
export interface ConfigError {
  readonly code: ConfigErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function configError(
  code: ConfigErrorCode,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): ConfigError {
  return details === undefined ? { code, message } : { code, message, details };
}

/** The one answer for "does not exist" and "you may not see it", so that the two cannot be told apart. */
export const nodeNotFound = (reference: string): ConfigError =>
  configError('CONFIG.NODE_NOT_FOUND', `no configuration node ${reference}`, { node: reference });
