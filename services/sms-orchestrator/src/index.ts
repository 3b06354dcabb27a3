// The orchestrator's domain and application surface, for its adapters and main.ts.

// Domain: errors and values
export { orchestratorErrors } from './domain/sms-orchestrator-errors.js';
export type { OrchestratorErrorCode } from './domain/sms-orchestrator-errors.js';
export type { FieldError } from './domain/field-error.js';
export type { InvalidValue } from './domain/invalid-value.js';
export { Destination } from './domain/destination.js';
export { Sender } from './domain/sender.js';
export type { SenderKind } from './domain/sender.js';
export { MessageBody, MAX_BODY_CODE_UNITS } from './domain/message-body.js';
export { ClientReference, MAX_CLIENT_REFERENCE_LENGTH } from './domain/client-reference.js';
export { ValidityPeriod, MIN_VALIDITY_SECONDS, MAX_VALIDITY_SECONDS, DEFAULT_VALIDITY_SECONDS } from './domain/validity-period.js';
export { CallbackUrl, MAX_CALLBACK_URL_LENGTH } from './domain/callback-url.js';
export type { CallbackUrlPolicy } from './domain/callback-url.js';
export { IdempotencyKey, IDEMPOTENCY_WINDOW_MS, MAX_IDEMPOTENCY_KEY_LENGTH } from './domain/idempotency-key.js';
export { isStrictE164, hasE164Shape } from './domain/e164.js';
export { requestFingerprint } from './domain/request-fingerprint.js';
export type { SubmitOperation } from './domain/request-fingerprint.js';

// Domain: encoding and segmentation
export { GSM7_BASIC_CHARACTERS, GSM7_EXTENSION_CHARACTERS, gsm7Septets } from './domain/gsm7-alphabet.js';
export { segment, detectEncoding, checkPartLimit, SEGMENT_LIMITS, MAX_PARTS_CEILING } from './domain/segmentation.js';
export type { MessageEncoding, Segmentation } from './domain/segmentation.js';

// Domain: submissions
export { validateSubmission, validateContent, validateDestination, API_FIELD_NAMES } from './domain/submission.js';
export type { SubmitMessageRequest, SubmitContent, ValidSubmission, ValidContent, SubmissionRules } from './domain/submission.js';
export { validateBulk, isBulkMessagesRequest, MAX_BULK_ITEMS } from './domain/bulk-submission.js';
export type { SubmitBulkRequest, BulkMessagesRequest, BulkBroadcastRequest, BulkItemValidation } from './domain/bulk-submission.js';

// Domain: the message aggregate and its state machine
export { SmsMessage } from './domain/sms-message.js';
export type {
  SmsMessageSnapshot,
  SenderSnapshot,
  Route,
  StatusHistoryEntry,
  StatusChange,
  InvalidTransition,
  DeliveryReport,
  DeliveryReportOutcome,
} from './domain/sms-message.js';
export { MESSAGE_STATUSES, FINAL_STATUSES, canTransition, isFinal, publicStatusOf } from './domain/message-status.js';
export type { MessageStatus, PublicMessageStatus, DeliveryStatus } from './domain/message-status.js';
export { PIPELINE_STAGES } from './domain/pipeline-stage.js';
export type { PipelineStage } from './domain/pipeline-stage.js';
export { DEFAULT_RETRY_POLICY, assertRetryPolicy, decideRetry, backoffCeilingMs } from './domain/retry-policy.js';
export type { RetryPolicy, RetryDecision } from './domain/retry-policy.js';

// Domain: events
export {
  ORCHESTRATOR_EVENTS,
  MESSAGE_AGGREGATE_TYPE,
  messageAccepted,
  messageStatusChanged,
  messageDeadLettered,
  outboundRequested,
  subjectForEventType,
} from './domain/message-events.js';
export type {
  MessageAcceptedData,
  MessageStatusChangedData,
  MessageDeadLetteredData,
  OutboundRequestedData,
} from './domain/message-events.js';

// Application: ports
export type { MessageRepository } from './application/ports/message.repository.port.js';
export type { EventOutbox } from './application/ports/event-outbox.port.js';
export type { Inbox } from './application/ports/inbox.port.js';
export type {
  IdempotencyStore,
  IdempotencyRecorder,
  IdempotencyPurger,
  IdempotencyClaim,
  IdempotencyClaimRequest,
} from './application/ports/idempotency.store.port.js';
export type { UnitOfWork, TransactionScope } from './application/ports/unit-of-work.port.js';
export { DEFAULT_TENANT_SUBMIT_SETTINGS } from './application/ports/tenant-settings.port.js';
export type { TenantSettings, TenantSubmitSettings, SubmitRateLimit } from './application/ports/tenant-settings.port.js';
export type { RateLimiter, RateLimitDecision } from './application/ports/rate-limiter.port.js';
export type { SenderLeaseChecker, LeaseCheckResult } from './application/ports/sender-lease-checker.port.js';
export type { Router, RouteResult } from './application/ports/router.port.js';
export type { PipelineMetrics, StageOutcome, PipelineResult } from './application/ports/pipeline-metrics.port.js';
export type { Stopwatch, StopwatchLap } from './application/ports/stopwatch.port.js';
export type { RandomSource } from './application/ports/random-source.port.js';
export type { DueMessageFinder, MessageRef } from './application/ports/due-message.finder.port.js';

// Application: use cases and their inputs and outputs
export { SubmitMessage, IDEMPOTENCY_KEY_FIELD } from './application/submit-message.use-case.js';
export type { SubmitMessageDeps, SubmitMessageCommand } from './application/submit-message.use-case.js';
export { SubmitBulk } from './application/submit-bulk.use-case.js';
export type { SubmitBulkDeps, SubmitBulkCommand } from './application/submit-bulk.use-case.js';
export type { SubmitRefusal, Submitted } from './application/submit-refusal.js';
export type { SubmitMessageOutput, SubmitBulkOutput, BulkItemOutput, IdempotentResponse } from './application/submit-outputs.js';
export { GetMessage, messageNotFound } from './application/get-message.use-case.js';
export type { MessageNotFound } from './application/get-message.use-case.js';
export { toMessageView } from './application/message-view.js';
export type { MessageView, MessageHistoryView } from './application/message-view.js';
export { ProcessMessage } from './application/process-message.use-case.js';
export type { ProcessMessageDeps, ProcessOutcome } from './application/process-message.use-case.js';
export { ApplyDeliveryStatus, ConcurrentUpdateError, DELIVERY_STATUS_CONSUMER } from './application/apply-delivery-status.use-case.js';
export type { DeliveryStatusEvent, ApplyDeliveryStatusOutcome } from './application/apply-delivery-status.use-case.js';
export { ProcessDueRetries } from './application/process-due-retries.use-case.js';
export type { DueRetriesReport } from './application/process-due-retries.use-case.js';
export { PurgeIdempotencyKeys } from './application/purge-idempotency-keys.use-case.js';
