// Public surface of numbering-service for its adapters (Postgres, Redis, NATS, HTTP, gRPC) and main.ts.

// Domain
export { numberingErrors, numberingError, numberingGrpcStatus } from './domain/numbering-errors.js';
export type { NumberingError, NumberingErrorCode } from './domain/numbering-errors.js';
export { NUMBER_KINDS, parseSender, parseCsvNumber, isE164, isShortCode, maskNumber, digitsOf } from './domain/number-value.js';
export type { NumberKind, NumberValue } from './domain/number-value.js';
export {
  VANITY_TIERS,
  TENANT_SEGMENTS,
  SEGMENT_TIER_ELIGIBILITY,
  isContractActive,
  blockContains,
  poolAdmitsSegment,
  tenantPoolAdmitsTier,
  createOperatorContract,
  createNumberBlock,
  createInventoryPool,
  createTenantPool,
} from './domain/catalog.js';
export type { VanityTier, TenantSegment, OperatorContract, NumberBlock, InventoryPool, TenantPool } from './domain/catalog.js';
export {
  NUMBER_STATES,
  MESSAGE_USES,
  RECALL_REASONS,
  RETIREMENT_REASONS,
  holderOf,
  newInventoryNumber,
} from './domain/number.js';
export type {
  NumberState,
  MessageUse,
  RecallReason,
  RetirementReason,
  Reservation,
  Lease,
  Quarantine,
  Recall,
  Retirement,
  NumberLifecycle,
  NumberRecord,
} from './domain/number.js';
export {
  NUMBER_ACTIONS,
  NUMBER_TRANSITIONS,
  applyNumberCommand,
  isActionAllowed,
  refusalFor,
} from './domain/number-state-machine.js';
export type { NumberAction, NumberCommand, NumberTransition, RecallQuarantineReason } from './domain/number-state-machine.js';
export {
  QUARANTINE_REASONS,
  DAY_MS,
  defaultNumberingPolicy,
  createNumberingPolicy,
  quarantineEndsAt,
} from './domain/numbering-policy.js';
export type { QuarantineReason, NumberingPolicy, NumberingPolicyOverrides } from './domain/numbering-policy.js';
export { NUMBERING_EVENT_TYPES } from './domain/number-events.js';
export type { NumberDomainEvent, NumberingDomainEvent, ImportCompletedEvent, AnomalyDetectedEvent } from './domain/number-events.js';
export { ANOMALY_RULES, TenantAnomalyDetector, checkAnomalyThresholds, defaultAnomalyThresholds } from './domain/tenant-anomaly.js';
export type { AnomalyRule, AnomalyThresholds, TenantActivityKind, TenantAnomaly } from './domain/tenant-anomaly.js';
export { evaluateLease, leaseSnapshotOf } from './domain/lease-verdict.js';
export type { LeaseSnapshot, LeaseVerdict, LeaseRefusal } from './domain/lease-verdict.js';
export { ROLES, PERMISSIONS, PERMISSION_MATRIX, authorize, grantOf, isRole, isTenantActor, principalOf } from './domain/permissions.js';
export type { Role, Permission, Grant, Actor } from './domain/permissions.js';
export {
  GENESIS_HASH,
  AuditChainVerifier,
  canonicalAuditBody,
  computeAuditHash,
  sealAuditRow,
  verifyAuditChain,
} from './domain/audit-chain.js';
export type { AuditActor, AuditEntry, AuditRow, AuditChainHead, AuditChainVerdict, AuditChainBreak } from './domain/audit-chain.js';
export { OPERATOR_CSV_COLUMNS, FORMULA_TRIGGERS, parseOperatorCsv } from './domain/operator-csv.js';
export type { OperatorCsvRow, CsvRowError } from './domain/operator-csv.js';
export {
  OPERATOR_SIGNATURE_SCHEME,
  MIN_OPERATOR_KEY_BITS,
  usableOperatorKey,
  verifyOperatorSignature,
  sha256Hex,
} from './domain/operator-signature.js';
export type { OperatorPublicKey } from './domain/operator-signature.js';
export { fingerprintRequest } from './domain/request-fingerprint.js';
export { CSV_LINE_END, CsvDocument, csvCell, csvLine, neutraliseFormula } from './domain/regulator-export-csv.js';
export {
  REGULATOR_EXPORT_FORMAT,
  REGULATOR_EXPORT_FORMAT_VERSION,
  REGULATOR_EXPORT_PREFIX,
  REGULATOR_EXPORT_RETENTION_YEARS,
  REGULATOR_EXPORT_FILES,
  INVENTORY_COLUMNS,
  HISTORY_COLUMNS,
  parseExportMonth,
  previousExportMonth,
  addYears,
  exportObjectKey,
  revisionName,
  exportEventName,
  historyCells,
  inventoryCells,
  parseExportManifest,
  parseSignatureFile,
} from './domain/regulator-export.js';
export type {
  ExportMonth,
  ExportManifest,
  ExportFileEntry,
  ExportSignatureFile,
  InventoryExportLine,
  HistoryExportEntry,
} from './domain/regulator-export.js';
export type { JsonValue, JsonObject } from './domain/json.js';

// Ports
export type { NumberRepository, SaveOutcome, InsertOutcome, NumberDeadline } from './application/ports/number.repository.port.js';
export type { CatalogRepository, CatalogInsertOutcome } from './application/ports/catalog.repository.port.js';
export type { AuditLog, AuditLogReader } from './application/ports/audit-log.port.js';
export type { Outbox } from './application/ports/outbox.port.js';
export type { ImportLedger, ImportRecord } from './application/ports/import-ledger.port.js';
export type {
  IdempotencyStore,
  IdempotencyRecorder,
  IdempotencyRequest,
  IdempotencyClaim,
  IdempotentOutcome,
} from './application/ports/idempotency.store.port.js';
export type { LeaseCache } from './application/ports/lease-cache.port.js';
export type { ReservationTimer, ReservationTimers } from './application/ports/reservation-timers.port.js';
export type { OperatorKeyring } from './application/ports/operator-keyring.port.js';
export type { UnitOfWork, NumberingTransaction } from './application/ports/unit-of-work.port.js';
export type {
  RegulatorExportSource,
  RegulatorExportLedger,
  RegulatorExportArchive,
  RegulatorExportSigner,
  RegulatorExportRecord,
  RegulatorExportStatus,
} from './application/ports/regulator-export.port.js';

// Use cases
export { ValidateLease } from './application/validate-lease.use-case.js';
export type { ValidateLeaseInput, ValidateLeaseOutput, ValidateLeaseDeps } from './application/validate-lease.use-case.js';
export { LookupNumber } from './application/lookup-number.use-case.js';
export type { LookupNumberInput, LookupNumberOutput } from './application/lookup-number.use-case.js';
export { ReserveNumber } from './application/reserve-number.use-case.js';
export type { ReserveNumberInput, ReserveNumberHooks } from './application/reserve-number.use-case.js';
export { AssignNumber } from './application/assign-number.use-case.js';
export type { AssignNumberInput } from './application/assign-number.use-case.js';
export { ReleaseNumber } from './application/release-number.use-case.js';
export type { ReleaseNumberInput } from './application/release-number.use-case.js';
export { RenewLease } from './application/renew-lease.use-case.js';
export type { RenewLeaseInput } from './application/renew-lease.use-case.js';
export { ExpireHold } from './application/expire-hold.use-case.js';
export type { ExpireHoldInput } from './application/expire-hold.use-case.js';
export { ExpireReservationOnTimer, timerExpiryKey } from './application/expire-reservation-on-timer.use-case.js';
export type { ExpireReservationOnTimerDeps, TimerOutcome } from './application/expire-reservation-on-timer.use-case.js';
export { TenantAnomalyMonitor, anomalyDetectedEvent } from './application/tenant-anomaly-monitor.js';
export type { TenantAnomalyMonitorDeps } from './application/tenant-anomaly-monitor.js';
export { recordActivity } from './application/tenant-activity.js';
export type { TenantActivitySink } from './application/tenant-activity.js';
export { RecallNumber } from './application/recall-number.use-case.js';
export type { RecallNumberInput } from './application/recall-number.use-case.js';
export { ResolveRecall } from './application/resolve-recall.use-case.js';
export type { ResolveRecallInput } from './application/resolve-recall.use-case.js';
export { EndQuarantine } from './application/end-quarantine.use-case.js';
export type { EndQuarantineInput } from './application/end-quarantine.use-case.js';
export { RetireNumber } from './application/retire-number.use-case.js';
export type { RetireNumberInput } from './application/retire-number.use-case.js';
export { ListTenantHoldings } from './application/list-tenant-holdings.use-case.js';
export type { ListTenantHoldingsInput, ListTenantHoldingsOutput } from './application/list-tenant-holdings.use-case.js';
export { ListTenantPools } from './application/list-tenant-pools.use-case.js';
export { ImportOperatorInventory } from './application/import-operator-inventory.use-case.js';
export type {
  ImportOperatorInventoryInput,
  ImportOperatorInventoryOutput,
  ImportOperatorInventoryDeps,
} from './application/import-operator-inventory.use-case.js';
export { VerifyAuditChain } from './application/verify-audit-chain.use-case.js';
export type { VerifyAuditChainInput } from './application/verify-audit-chain.use-case.js';
export { InvalidateLeaseCacheOnEvent, LEASE_CACHE_INVALIDATING_EVENTS } from './application/invalidate-lease-cache.use-case.js';
export { RunRegulatorExport } from './application/run-regulator-export.use-case.js';
export type { RunRegulatorExportDeps, RunRegulatorExportInput, RunRegulatorExportOutput } from './application/run-regulator-export.use-case.js';
export { GetRegulatorExport } from './application/get-regulator-export.use-case.js';
export type { GetRegulatorExportInput } from './application/get-regulator-export.use-case.js';
export { CreateOperatorContract } from './application/create-operator-contract.use-case.js';
export type { CreateOperatorContractInput } from './application/create-operator-contract.use-case.js';
export { CreateNumberBlock } from './application/create-number-block.use-case.js';
export type { CreateNumberBlockInput } from './application/create-number-block.use-case.js';
export { CreateInventoryPool } from './application/create-inventory-pool.use-case.js';
export type { CreateInventoryPoolInput } from './application/create-inventory-pool.use-case.js';
export { CreateTenantPool } from './application/create-tenant-pool.use-case.js';
export type { CreateTenantPoolInput } from './application/create-tenant-pool.use-case.js';
export type { NumberChangeDeps } from './application/number-change.js';
export type { CommandDeps } from './application/idempotent-command.js';
export type { CatalogChangeDeps } from './application/catalog-change.js';
export { toNumberView, toPublicNumberView } from './application/number-view.js';
export type { NumberView, PublicNumberView } from './application/number-view.js';
export type { OperatorContractView, NumberBlockView, InventoryPoolView, TenantPoolView } from './application/catalog-views.js';

// In-memory ports: unit tests here, and the reference the adapters' contract tests compare against.
export { InMemoryNumberingStore } from './application/testing/in-memory-numbering.store.js';
export type { FaultPoint } from './application/testing/in-memory-numbering.store.js';
export { InMemoryIdempotencyStore } from './application/testing/in-memory-idempotency.store.js';
export { InMemoryLeaseCache } from './application/testing/in-memory-lease.cache.js';
export { InMemoryOperatorKeyring } from './application/testing/in-memory-operator.keyring.js';
