// The domain and application surface of config-service, for its adapters and composition root.

// Domain
export { configErrors, configError, nodeNotFound } from './domain/config-errors.js';
export type { ConfigError, ConfigErrorCode } from './domain/config-errors.js';
export { isConfigValue, sameValue } from './domain/config-value.js';
export type { ConfigValue } from './domain/config-value.js';
export { ConfigLevels } from './domain/config-levels.js';
export type { LevelDefinition } from './domain/config-levels.js';
export {
  ROOT_LEVEL,
  ROOT_PATH,
  parseNodePath,
  childPath,
  ancestorPaths,
  isSameOrDescendant,
  rebasePath,
  depthOf,
  isLevelName,
  isSegmentName,
} from './domain/node-path.js';
export type { PathSegment } from './domain/node-path.js';
export {
  KEY_TYPES,
  MAX_LIST_ITEMS,
  MAX_STRING_LENGTH,
  defineKey,
  updateKey,
  validateKeySchema,
  validateValue,
  parseDurationMs,
  isKeyName,
  isServiceName,
} from './domain/key-definition.js';
export type { KeyChanges, KeyDefinition, KeyDraft, KeySchema, KeyType, ValueRule } from './domain/key-definition.js';
export {
  createRootNode,
  createChildNode,
  setOverride,
  clearOverride,
  setLock,
  removeLock,
  rollbackNode,
  moveNode,
  deleteNode,
  findLockAbove,
  checkMeta,
  isTenantId,
  stateOf,
  MAX_REASON_LENGTH,
} from './domain/config-node.js';
export type { ChangeMeta, ConfigNode, LockHolder, NewNode, NodeChange, RollbackProblem } from './domain/config-node.js';
export { CHANGE_KINDS, diffStates } from './domain/node-version.js';
export type { ChangeKind, KeyDiff, KeyState, NodeState, NodeVersion } from './domain/node-version.js';
export { resolveConfig } from './domain/resolution.js';
export type { ResolvedConfig, ResolvedValue, ValueSource } from './domain/resolution.js';
export {
  ACCESS_ACTIONS,
  NODE_ACTIONS,
  KEY_ACTIONS,
  ROLE_ACTIONS,
  POLICY_ACTIONS,
  WRITE_ACTIONS,
  GRANT_SCOPES,
  GRANT_KEYS,
  validateRole,
  validateSubject,
  isNodeVisibleTo,
  isRoleName,
} from './domain/access.js';
export type {
  AccessAction,
  Grant,
  GrantKeys,
  GrantScope,
  NodeAction,
  RoleAssignment,
  RoleDefinition,
  Subject,
} from './domain/access.js';
export { CONFIG_EVENT_TYPES } from './domain/config-events.js';
export type { ConfigAggregateType, ConfigDomainEvent, ConfigEventType } from './domain/config-events.js';
export { configSeed, seedLevels, seedGlobalNode, seedKeys, systemRoles, GLOBAL_NODE_ID } from './domain/config-seed.js';

// Application: ports
export type { AccessDecision, AccessPolicy, AccessResource, KeyAttributes, NodeAttributes } from './application/ports/access-policy.port.js';
export type { ConfigNodeRepository } from './application/ports/config-node.repository.port.js';
export type { NodeVersionRepository } from './application/ports/node-version.repository.port.js';
export type { KeyDefinitionRepository } from './application/ports/key-definition.repository.port.js';
export type { RoleAssignmentRepository, RoleDefinitionRepository } from './application/ports/role.repository.port.js';
export type { Outbox } from './application/ports/outbox.port.js';
export type { Inbox } from './application/ports/inbox.port.js';
export type { ResolutionCache } from './application/ports/resolution-cache.port.js';
export type { TransactionOptions, TransactionScope, UnitOfWork } from './application/ports/unit-of-work.port.js';

// Application: use cases and helpers adapters need
export { parseNodeReference } from './application/node-reference.js';
export type { NodeReference } from './application/node-reference.js';
export type { ChangeRequest, NodeChangeDeps, NodeChangeResult } from './application/node-change.js';
export { CreateNodeUseCase } from './application/create-node.use-case.js';
export type { CreateNodeRequest } from './application/create-node.use-case.js';
export { MoveNodeUseCase } from './application/move-node.use-case.js';
export type { MoveNodeRequest } from './application/move-node.use-case.js';
export { DeleteNodeUseCase } from './application/delete-node.use-case.js';
export type { DeleteNodeResult } from './application/delete-node.use-case.js';
export { SetValueUseCase } from './application/set-value.use-case.js';
export type { SetValueRequest } from './application/set-value.use-case.js';
export { ClearValueUseCase } from './application/clear-value.use-case.js';
export type { ClearValueRequest } from './application/clear-value.use-case.js';
export { SetLockUseCase } from './application/set-lock.use-case.js';
export type { SetLockRequest } from './application/set-lock.use-case.js';
export { RemoveLockUseCase } from './application/remove-lock.use-case.js';
export type { RemoveLockRequest } from './application/remove-lock.use-case.js';
export { RollbackNodeUseCase } from './application/rollback-node.use-case.js';
export type { RollbackNodeRequest } from './application/rollback-node.use-case.js';
export { GetNodeUseCase } from './application/get-node.use-case.js';
export type { NodeView } from './application/get-node.use-case.js';
export { GetNodeHistoryUseCase } from './application/get-node-history.use-case.js';
export type { KeyDiffView, NodeHistoryRequest, NodeVersionView } from './application/get-node-history.use-case.js';
export type { ValueView } from './application/redaction.js';
export { ResolveConfigUseCase } from './application/resolve-config.use-case.js';
export type { ResolveConfigRequest, ResolvedConfigView, ResolvedValueView } from './application/resolve-config.use-case.js';
export { DefineKeyUseCase } from './application/define-key.use-case.js';
export type { KeyCatalogueDeps } from './application/define-key.use-case.js';
export { UpdateKeyUseCase } from './application/update-key.use-case.js';
export type { UpdateKeyRequest } from './application/update-key.use-case.js';
export { ListKeysUseCase } from './application/list-keys.use-case.js';
export { AssignRoleUseCase } from './application/assign-role.use-case.js';
export type { RoleAssignmentRequest, RoleAssignmentResult, RoleDeps } from './application/assign-role.use-case.js';
export { RevokeRoleUseCase } from './application/revoke-role.use-case.js';
export { PutRoleUseCase } from './application/put-role.use-case.js';
export type { PutRoleRequest } from './application/put-role.use-case.js';
export { RemoveRoleUseCase } from './application/remove-role.use-case.js';
export { ReloadAccessPolicyUseCase } from './application/reload-access-policy.use-case.js';
export { ListRolesUseCase } from './application/list-roles.use-case.js';
export { ListRoleAssignmentsUseCase } from './application/list-role-assignments.use-case.js';
export type { ListRoleAssignmentsRequest } from './application/list-role-assignments.use-case.js';
export { HandleTenantCreatedUseCase } from './application/handle-tenant-created.use-case.js';
export { HandleTenantDeletedUseCase } from './application/handle-tenant-deleted.use-case.js';
export {
  TENANT_CREATED,
  TENANT_DELETED,
  TENANT_EVENTS_CONSUMER,
  TENANT_EVENTS_AUTHOR,
  parseTenantCreated,
  parseTenantDeleted,
} from './application/tenant-events.js';
export type { InboxOutcome, TenantCreatedData, TenantDeletedData } from './application/tenant-events.js';
export { InvalidateResolutionCacheUseCase } from './application/invalidate-resolution-cache.use-case.js';

// In-memory implementations (embedded mode and tests)
export { InMemoryUnitOfWork } from './application/testing/in-memory-unit-of-work.js';
export { InMemoryResolutionCache } from './application/testing/in-memory-resolution-cache.js';

// The access-policy adapter (engine-specific; pure, no I/O)
export { CedarAccessPolicy } from './adapters/authorization/cedar-access-policy.js';
