import type { Insertable, Selectable } from 'kysely';
import { SmsMessage } from '../../domain/sms-message.js';
import type { SmsMessageSnapshot } from '../../domain/sms-message.js';
import type { MessageStatus } from '../../domain/message-status.js';
import type { MessageEncoding } from '../../domain/segmentation.js';
import type { SenderKind } from '../../domain/sender.js';
import { messageIdTime } from './message-id-time.js';
import type { SmsMessagesTable, StoredHistoryEntry } from './orch-tables.js';

/** The columns an update writes (everything but the key, the tenant and the version, which the update sets itself). */
export type MessageUpdateColumns = Omit<Insertable<SmsMessagesTable>, 'id' | 'created_at' | 'tenant_id' | 'version'>;

/** The row of a new message. @throws when the id is not a UUIDv7 (ids come from the UUIDv7 generator; anything else is a bug). */
export function toInsertRow(message: SmsMessage): Insertable<SmsMessagesTable> {
  const m = message.toSnapshot();
  return { id: m.id, created_at: partitionTimeOf(m.id), tenant_id: m.tenantId, version: m.version, ...toUpdateColumns(m) };
}

export function toUpdateColumns(m: SmsMessageSnapshot): MessageUpdateColumns {
  const history: StoredHistoryEntry[] = m.history.map((entry) => ({
    status: entry.status,
    at: entry.at.toISOString(),
    errorCode: entry.errorCode,
    reason: entry.reason,
  }));
  return {
    to_msisdn: m.to,
    from_value: m.from.value,
    from_kind: m.from.kind,
    body: m.body,
    encoding: m.encoding,
    segment_count: m.segmentCount,
    client_reference: m.clientReference,
    validity_period_seconds: m.validityPeriodSeconds,
    callback_url: m.callbackUrl,
    status: m.status,
    status_history: JSON.stringify(history),
    error_code: m.errorCode,
    error_reason: m.errorReason,
    operator_id: m.route?.operatorId ?? null,
    connection_id: m.route?.connectionId ?? null,
    smsc_message_id: m.smscMessageId,
    pipeline_attempts: m.pipelineAttempts,
    next_attempt_at: m.nextAttemptAt,
    accepted_at: m.acceptedAt,
    updated_at: m.updatedAt,
    expires_at: m.expiresAt,
  };
}

export function fromRow(row: Selectable<SmsMessagesTable>): SmsMessage {
  return SmsMessage.restore({
    id: row.id,
    tenantId: row.tenant_id,
    to: row.to_msisdn,
    from: { kind: row.from_kind as SenderKind, value: row.from_value },
    body: row.body,
    encoding: row.encoding as MessageEncoding,
    segmentCount: row.segment_count,
    clientReference: row.client_reference,
    validityPeriodSeconds: row.validity_period_seconds,
    callbackUrl: row.callback_url,
    status: row.status as MessageStatus,
    history: row.status_history.map((entry) => ({
      status: entry.status as MessageStatus,
      at: new Date(entry.at),
      errorCode: entry.errorCode,
      reason: entry.reason,
    })),
    errorCode: row.error_code,
    errorReason: row.error_reason,
    route: row.operator_id !== null && row.connection_id !== null ? { operatorId: row.operator_id, connectionId: row.connection_id } : null,
    smscMessageId: row.smsc_message_id,
    pipelineAttempts: row.pipeline_attempts,
    nextAttemptAt: row.next_attempt_at,
    acceptedAt: row.accepted_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    version: row.version,
  });
}

export function partitionTimeOf(id: string): Date {
  const time = messageIdTime(id);
  if (time === null) throw new Error(`message id ${id} is not a UUIDv7: the orchestrator's ids must come from a UUIDv7 generator`);
  return time;
}
