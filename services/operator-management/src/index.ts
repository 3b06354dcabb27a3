// Public surface of operator-management's domain and application layers, for the adapters and main.ts.

// Domain
export { operatorManagementErrors, validationFailed } from './domain/operator-management-errors.js';
export type {
  OpsError,
  OpsErrorCode,
  OpsErrorOf,
  DuplicateField,
  RuleOverlap,
  UnavailableOperatorReference,
} from './domain/operator-management-errors.js';
export type { FieldIssue } from './domain/field-issue.js';
export {
  createOperator,
  updateOperator,
  addConnection,
  updateConnection,
  removeConnection,
  recordAuthentication,
  softDeleteOperator,
  canTransition,
  operatorDraftIssues,
  normalizeOperatorCode,
  STATUS_TRANSITIONS,
  OPERATOR_KINDS,
  OPERATOR_LIMITS,
} from './domain/operator.js';
export type { Operator, OperatorStatus, OperatorDraft, OperatorPatch, OperatorChange } from './domain/operator.js';
export { AFGHANISTAN_MCC, mccMncIssues } from './domain/mcc-mnc.js';
export type { OperatorKind } from './domain/mcc-mnc.js';
export { isNumberPrefix, prefixesOverlap } from './domain/number-prefix.js';
export { BIND_MODES, CONNECTION_LIMITS, bindPasswordIssues, connectionKey, isValidHost } from './domain/smpp-connection.js';
export type { BindMode, ConnectionSettings, ConnectionAuthentication, SmppConnection } from './domain/smpp-connection.js';
export {
  BIND_STATES,
  DEFAULT_HEALTH_THRESHOLDS,
  MAX_REPORT_CLOCK_SKEW_MS,
  deriveOperatorHealth,
  healthReportIssues,
} from './domain/operator-health.js';
export type {
  BindState,
  HealthState,
  HealthThresholds,
  ConnectionHealthReport,
  ConnectionHealth,
  OperatorHealth,
  DerivedHealth,
} from './domain/operator-health.js';
export {
  EMPTY_RULE_SET,
  RULE_LIMITS,
  SENDER_TYPES,
  findOverlaps,
  operatorReferences,
  sameConditions,
  sameRules,
  validateRoutingRules,
} from './domain/routing-rule.js';
export type { RoutingRule, RoutingRuleInput, RoutingRuleSet, SenderType } from './domain/routing-rule.js';
export { DAYS_OF_WEEK, DEFAULT_TIMEZONE, timeWindowsOverlap } from './domain/time-window.js';
export type { DayOfWeek, TimeWindow, TimeWindowInput } from './domain/time-window.js';
export {
  OPS_EVENT_TYPES,
  OPS_AGGREGATE_TYPES,
  ROUTING_RULE_SET_ID,
  operatorSnapshot,
} from './domain/operator-events.js';
export type {
  OpsEvent,
  OperatorSnapshot,
  ConnectionSnapshot,
  AuthenticationSnapshot,
  OperatorChangedData,
  OperatorDeletedData,
  OperatorHealthChangedData,
  ConnectionHealthSnapshot,
  RoutingRulesChangedData,
} from './domain/operator-events.js';
export { LEGACY_DEFAULTS, detectLegacyFormat, parseLegacyExport } from './domain/legacy-export.js';
export type { LegacyFormat, LegacyExport, LegacyOperatorRecord, LegacyConnection } from './domain/legacy-export.js';
export { planLegacyImport } from './domain/legacy-import-plan.js';
export type { LegacyPlanEntry } from './domain/legacy-import-plan.js';

// Application: ports
export type {
  OperatorRepository,
  OperatorClash,
  OperatorInsertOutcome,
  OperatorUpdateOutcome,
  OperatorListQuery,
} from './application/ports/operator.repository.port.js';
export type { OperatorCredentialStore } from './application/ports/operator-credential-store.port.js';
export type { HealthLogRepository, HealthLogEntry } from './application/ports/health-log.repository.port.js';
export type { CurrentHealthRepository } from './application/ports/current-health.repository.port.js';
export type { RoutingRuleRepository } from './application/ports/routing-rule.repository.port.js';

// Application: services and use cases
export { CredentialVault, connectionSecretPath, isSecretStoreUnavailable } from './application/credential-vault.js';
export { OpsEventFactory, ALL_OPERATOR_FIELDS } from './application/ops-event-factory.js';
export { SMPP_GATEWAY_SERVICE } from './application/caller-identity.js';
export type { CallerIdentity } from './application/caller-identity.js';
export { MAX_WRITE_ATTEMPTS } from './application/change-operator.js';
export { toOperatorView, toHealthView, toRuleSetView } from './application/views.js';
export type { OperatorView, OperatorHealthView, RoutingRuleSetView } from './application/views.js';
export { CreateOperator } from './application/create-operator.use-case.js';
export type { CreateOperatorCommand, CreateOperatorError, NewConnectionCommand } from './application/create-operator.use-case.js';
export { GetOperator } from './application/get-operator.use-case.js';
export { ListOperators, LIST_LIMITS } from './application/list-operators.use-case.js';
export type { ListOperatorsQuery, OperatorPage } from './application/list-operators.use-case.js';
export { UpdateOperator } from './application/update-operator.use-case.js';
export type { UpdateOperatorCommand, UpdateOperatorError, UpdateOperatorResult } from './application/update-operator.use-case.js';
export { SoftDeleteOperator } from './application/soft-delete-operator.use-case.js';
export type {
  SoftDeleteOperatorCommand,
  SoftDeleteOperatorError,
  SoftDeleteOperatorResult,
} from './application/soft-delete-operator.use-case.js';
export { AddConnection } from './application/add-connection.use-case.js';
export type { AddConnectionCommand, AddConnectionError, AddConnectionResult } from './application/add-connection.use-case.js';
export { UpdateConnection } from './application/update-connection.use-case.js';
export type { UpdateConnectionCommand, UpdateConnectionError } from './application/update-connection.use-case.js';
export { RemoveConnection } from './application/remove-connection.use-case.js';
export type {
  RemoveConnectionCommand,
  RemoveConnectionError,
  RemoveConnectionResult,
} from './application/remove-connection.use-case.js';
export { SetConnectionPassword } from './application/set-connection-password.use-case.js';
export type {
  SetConnectionPasswordCommand,
  SetConnectionPasswordError,
  SetConnectionPasswordResult,
} from './application/set-connection-password.use-case.js';
export { GetConnectionCredentials } from './application/get-connection-credentials.use-case.js';
export type {
  ConnectionCredentials,
  GetConnectionCredentialsError,
  GetConnectionCredentialsQuery,
} from './application/get-connection-credentials.use-case.js';
export { IngestHealthReport, MAX_HEALTH_SAVE_ATTEMPTS } from './application/ingest-health-report.use-case.js';
export type { IngestHealthReportError, IngestHealthReportResult } from './application/ingest-health-report.use-case.js';
export { SweepStaleHealth } from './application/sweep-stale-health.use-case.js';
export type { SweepStaleHealthResult } from './application/sweep-stale-health.use-case.js';
export { GetOperatorHealth, ListOperatorHealth } from './application/get-operator-health.use-case.js';
export { ReplaceRoutingRules } from './application/replace-routing-rules.use-case.js';
export type {
  ReplaceRoutingRulesCommand,
  ReplaceRoutingRulesError,
  ReplaceRoutingRulesResult,
} from './application/replace-routing-rules.use-case.js';
export { GetRoutingRules } from './application/get-routing-rules.use-case.js';
export { PlanLegacyImport } from './application/plan-legacy-import.use-case.js';
export type {
  LegacyImportCommand,
  LegacyImportError,
  LegacyImportSummary,
  LegacyPlanEntryView,
  LegacyPlanView,
} from './application/plan-legacy-import.use-case.js';
export { ApplyLegacyImport } from './application/apply-legacy-import.use-case.js';
export type { LegacyApplyEntryView, LegacyApplyReport } from './application/apply-legacy-import.use-case.js';

// In-memory ports: for unit tests here and as the reference the adapters' contract suites compare against.
export { InMemoryOutbox } from './application/testing/in-memory-outbox.js';
export { InMemoryOperatorRepository } from './application/testing/in-memory-operator.repository.js';
export { InMemoryCredentialStore, FakeSecretStoreUnavailableError } from './application/testing/in-memory-credential.store.js';
export { InMemoryHealthLogRepository, InMemoryCurrentHealthRepository } from './application/testing/in-memory-health.repositories.js';
export { InMemoryRoutingRuleRepository } from './application/testing/in-memory-routing-rule.repository.js';
