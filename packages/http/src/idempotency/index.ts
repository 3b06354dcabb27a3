export { enableIdempotencyKeys, requestFingerprint, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAY_HEADER } from './idempotency-keys.js';
export type { IdempotencyKeysOptions } from './idempotency-keys.js';
export { PostgresIdempotencyRecords, DEFAULT_IDEMPOTENCY_WINDOW_MS } from './postgres-idempotency-records.js';
export type { PostgresIdempotencyRecordsOptions } from './postgres-idempotency-records.js';
export type { IdempotencyClaim, IdempotencyClaimInput, IdempotencyRecords, StoredResponse } from './idempotency-records.port.js';
