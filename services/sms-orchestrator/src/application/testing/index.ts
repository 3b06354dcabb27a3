// In-memory implementations of the orchestrator's ports, for unit tests (never wired in main).
export { UndoLog } from './undo-log.js';
export { InMemoryMessageStore } from './in-memory-message.store.js';
export { InMemoryOutbox } from './in-memory-outbox.js';
export { InMemoryInbox } from './in-memory-inbox.js';
export { InMemoryIdempotencyStore } from './in-memory-idempotency.store.js';
export type { IdempotencyStoreOptions } from './in-memory-idempotency.store.js';
export { InMemoryUnitOfWork } from './in-memory-unit-of-work.js';
export {
  StaticTenantSettings,
  InMemoryRateLimiter,
  ScriptedSenderLeaseChecker,
  ScriptedRouter,
  RecordingPipelineMetrics,
  FixedStopwatch,
  SequenceRandom,
} from './fakes.js';
