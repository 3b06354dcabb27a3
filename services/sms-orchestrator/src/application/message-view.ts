import { publicStatusOf } from '../domain/message-status.js';
import type { PublicMessageStatus } from '../domain/message-status.js';
import type { MessageEncoding } from '../domain/segmentation.js';
import type { SenderKind } from '../domain/sender.js';
import type { SmsMessage } from '../domain/sms-message.js';

export interface MessageHistoryView {
  readonly status: PublicMessageStatus;
  /** ISO-8601. */
  readonly at: string;
  readonly errorCode: string | null;
  readonly reason: string | null;
}

/**
 * What `GET /v1/sms/{id}` shows. The body is not echoed back (less personal data in responses
 * and caches; the client has it). `dead_lettered` shows as `failed` with `ORCH.RETRIES_EXHAUSTED`.
 */
export interface MessageView {
  readonly messageId: string;
  readonly status: PublicMessageStatus;
  readonly to: string;
  readonly from: string;
  readonly fromType: SenderKind;
  readonly encoding: MessageEncoding;
  readonly segments: number;
  readonly clientReference: string | null;
  readonly validityPeriodSeconds: number;
  readonly callbackUrl: string | null;
  readonly errorCode: string | null;
  readonly errorReason: string | null;
  readonly acceptedAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string;
  readonly history: readonly MessageHistoryView[];
}

export function toMessageView(message: SmsMessage): MessageView {
  const m = message.toSnapshot();
  return {
    messageId: m.id,
    status: publicStatusOf(m.status),
    to: m.to,
    from: m.from.value,
    fromType: m.from.kind,
    encoding: m.encoding,
    segments: m.segmentCount,
    clientReference: m.clientReference,
    validityPeriodSeconds: m.validityPeriodSeconds,
    callbackUrl: m.callbackUrl,
    errorCode: m.errorCode,
    errorReason: m.errorReason,
    acceptedAt: m.acceptedAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    expiresAt: m.expiresAt.toISOString(),
    history: m.history.map((entry) => ({
      status: publicStatusOf(entry.status),
      at: entry.at.toISOString(),
      errorCode: entry.errorCode,
      reason: entry.reason,
    })),
  };
}
