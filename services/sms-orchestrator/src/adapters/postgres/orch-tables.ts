import type { ColumnType, Generated } from 'kysely';

/** `orch.sms_messages` (partitioned by `created_at`, the time in the UUIDv7 id). */
export interface SmsMessagesTable {
  id: string;
  created_at: Date;
  tenant_id: string;
  to_msisdn: string;
  from_value: string;
  from_kind: string;
  body: string;
  encoding: string;
  segment_count: number;
  client_reference: string | null;
  validity_period_seconds: number;
  callback_url: string | null;
  status: string;
  // jsonb: written as a JSON string, read back parsed.
  status_history: ColumnType<StoredHistoryEntry[], string, string>;
  error_code: string | null;
  error_reason: string | null;
  operator_id: string | null;
  connection_id: string | null;
  smsc_message_id: string | null;
  pipeline_attempts: number;
  next_attempt_at: Date | null;
  accepted_at: Date;
  updated_at: Date;
  expires_at: Date;
  version: number;
}

/** One element of `status_history` as stored (times as ISO strings). */
export interface StoredHistoryEntry {
  readonly status: string;
  readonly at: string;
  readonly errorCode: string | null;
  readonly reason: string | null;
}

/** `orch.idempotency_keys`. */
export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  fingerprint: string;
  claim_token: string;
  response: ColumnType<unknown, string | null, string | null>;
  created_at: Date;
  completed_at: Date | null;
}

/** One Parquet object of an archived partition. */
export interface ArchivedPart {
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
  /** The last message id in it (parts hold rows in id order). */
  readonly lastId: string;
}

/** `orch.sms_messages_archive_log`: the partition maintenance job's progress. */
export interface ArchiveLogTable {
  partition_name: string;
  range_start: Date;
  range_end: Date;
  state: 'detached' | 'archived' | 'dropped';
  parts: ColumnType<ArchivedPart[], string | undefined, string>;
  object_key: string | null;
  row_count: number | null;
  byte_size: number | null;
  sha256: string | null;
  detached_at: Date;
  archived_at: Date | null;
  dropped_at: Date | null;
}

export interface OutboxTable {
  id: string;
  seq: Generated<number>;
  event_type: string;
  published_at: Date | null;
}

/** The orchestrator's tables, as Kysely sees them (queries name the schema with `withSchema`). */
export interface OrchDatabase {
  sms_messages: SmsMessagesTable;
  idempotency_keys: IdempotencyKeysTable;
  sms_messages_archive_log: ArchiveLogTable;
  outbox: OutboxTable;
}
