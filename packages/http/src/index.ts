export { createHttpApp, openApiDocumentOf, REQUEST_ID_HEADER } from './create-http-app.js';
export type { CreateHttpAppOptions, HttpApp } from './create-http-app.js';
export { httpErrors } from './http-errors.js';
export type { HttpErrorCode } from './http-errors.js';
export {
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  problemBody,
  problemDetailsSchema,
  problemResponse,
  sendProblem,
} from './problem.js';
export type { FieldError, ProblemDetails, ProblemInit } from './problem.js';
export { checkReadiness, DEFAULT_CHECK_TIMEOUT_MS } from './readiness.js';
export type { DependencyReport, DependencyStatus, ReadinessCheck, ReadinessReport } from './readiness.js';
export { createMetricsRegistry, UNMATCHED_ROUTE } from './metrics.js';
export { startHttpServer } from './server.js';
export type { ListenOptions, ListeningServer } from './server.js';
export { createShutdown, installSignalHandlers } from './shutdown.js';
export type { Shutdown, ShutdownOptions, ShutdownStep, SignalHandlerOptions } from './shutdown.js';
export { diffOpenApi, formatChange } from './openapi/openapi-diff.js';
export type { OpenApiChange, OpenApiChangeRule } from './openapi/openapi-diff.js';
export { compareWithCommitted, majorVersionOf, serializeOpenApiDocument } from './openapi/openapi-file.js';
export type { OpenApiFileStatus } from './openapi/openapi-file.js';
export { runOpenApiCommand } from './openapi/openapi-command.js';
export type { OpenApiCommandIo, OpenApiCommandOptions, OpenApiService } from './openapi/openapi-command.js';
export {
  enableIdempotencyKeys,
  requestFingerprint,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  PostgresIdempotencyRecords,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
} from './idempotency/index.js';
export type {
  IdempotencyKeysOptions,
  PostgresIdempotencyRecordsOptions,
  IdempotencyClaim,
  IdempotencyClaimInput,
  IdempotencyRecords,
  StoredResponse,
} from './idempotency/index.js';
