import type { MessageView } from '../../application/message-view.js';
import type { SubmitBulkOutput, SubmitMessageOutput } from '../../application/submit-outputs.js';
import type { FieldError } from '../../domain/field-error.js';

// The API speaks snake_case (as its request fields do); the use cases' outputs are camelCase.
// A replay goes through the same mapping, so it is answered exactly as the first time.

export const presentFieldError = (error: FieldError) => ({ field: error.field, code: error.code, message: error.message });

export const presentSend = (output: SubmitMessageOutput) => ({
  message_id: output.messageId,
  status: output.status,
  encoding: output.encoding,
  segments: output.segments,
  client_reference: output.clientReference,
  accepted_at: output.acceptedAt,
});

export const presentBulk = (output: SubmitBulkOutput) => ({
  accepted_count: output.acceptedCount,
  rejected_count: output.rejectedCount,
  items: output.items.map((item) =>
    item.status === 'accepted'
      ? { index: item.index, to: item.to, status: item.status, message_id: item.messageId, encoding: item.encoding, segments: item.segments }
      : { index: item.index, to: item.to, status: item.status, errors: item.errors.map(presentFieldError) },
  ),
});

export const presentMessage = (view: MessageView) => ({
  message_id: view.messageId,
  status: view.status,
  to: view.to,
  from: view.from,
  from_type: view.fromType,
  encoding: view.encoding,
  segments: view.segments,
  client_reference: view.clientReference,
  validity_period: view.validityPeriodSeconds,
  callback_url: view.callbackUrl,
  error_code: view.errorCode,
  error_reason: view.errorReason,
  accepted_at: view.acceptedAt,
  updated_at: view.updatedAt,
  expires_at: view.expiresAt,
  history: view.history.map((entry) => ({ status: entry.status, at: entry.at, error_code: entry.errorCode, reason: entry.reason })),
});
