import type { EventEnvelope } from '@sms/kernel';
import type { MessageStatus } from './message-status.js';
import type { PipelineStage } from './pipeline-stage.js';
import type { MessageEncoding } from './segmentation.js';
import type { SenderKind } from './sender.js';
import type { Route, SmsMessage, StatusChange } from './sms-message.js';

/**
 * The events the orchestrator produces: type (`<domain>.<entity>.<verb>.v<N>`) and NATS subject.
 * `sms.outbound.request` keeps the subject the retired api-gateway published on, so the SMPP
 * gateway's consumer does not change (MIGRATION_PLAN §2.3). Schemas: packages/contracts
 * `sms-orchestrator.events.ts`.
 */
export const ORCHESTRATOR_EVENTS = {
  accepted: { type: 'sms.message.accepted.v1', subject: 'sms.message.accepted' },
  statusChanged: { type: 'sms.message.status-changed.v1', subject: 'sms.message.status-changed' },
  deadLettered: { type: 'sms.message.dead-lettered.v1', subject: 'sms.message.dead-lettered' },
  outboundRequested: { type: 'sms.outbound.requested.v1', subject: 'sms.outbound.request' },
} as const;

export const MESSAGE_AGGREGATE_TYPE = 'sms-message';

/**
 * The NATS subject an event of this type is published on (what the outbox relay's `subjectFor`
 * needs); null for a type the orchestrator does not produce.
 */
export function subjectForEventType(type: string): string | null {
  for (const spec of Object.values(ORCHESTRATOR_EVENTS)) {
    if (spec.type === type) return spec.subject;
  }
  return null;
}

/** `sms.message.accepted.v1`: a message passed validation and was stored; it starts the pipeline. No body. */
export interface MessageAcceptedData {
  readonly messageId: string;
  readonly tenantId: string;
  readonly from: string;
  readonly fromType: SenderKind;
  readonly to: string;
  readonly encoding: MessageEncoding;
  readonly segments: number;
  readonly clientReference: string | null;
  readonly validityPeriodSeconds: number;
  readonly expiresAt: string;
  readonly callbackUrl: string | null;
  readonly acceptedAt: string;
}

/** `sms.message.status-changed.v1`: every status change after acceptance (the source of client callbacks). */
export interface MessageStatusChangedData {
  readonly messageId: string;
  readonly tenantId: string;
  readonly previousStatus: MessageStatus;
  readonly status: MessageStatus;
  readonly errorCode: string | null;
  readonly reason: string | null;
  readonly smscMessageId: string | null;
  readonly clientReference: string | null;
  readonly callbackUrl: string | null;
  readonly changedAt: string;
}

/** `sms.message.dead-lettered.v1`: the pipeline gave up after transient failures. */
export interface MessageDeadLetteredData {
  readonly messageId: string;
  readonly tenantId: string;
  readonly attempts: number;
  /** The stage whose dependency kept failing. */
  readonly stage: PipelineStage;
  readonly errorCode: 'ORCH.RETRIES_EXHAUSTED';
  readonly reason: string;
  readonly deadLetteredAt: string;
}

/**
 * `sms.outbound.requested.v1` on `sms.outbound.request`: everything the SMPP gateway needs to
 * submit the message. It carries the body (fine on the bus, never in logs) and the full MSISDNs.
 */
export interface OutboundRequestedData {
  readonly messageId: string;
  readonly tenantId: string;
  readonly from: string;
  readonly fromType: SenderKind;
  readonly to: string;
  readonly body: string;
  readonly encoding: MessageEncoding;
  readonly segments: number;
  readonly operatorId: string;
  readonly connectionId: string;
  readonly validityPeriodSeconds: number;
  readonly expiresAt: string;
  /** Pipeline attempt that dispatched the message (1 when nothing had to be retried). */
  readonly attempt: number;
  readonly clientReference: string | null;
  readonly requestedAt: string;
}

function envelope<TData>(spec: { readonly type: string }, message: SmsMessage, eventId: string, occurredAt: Date, data: TData): EventEnvelope<TData> {
  return {
    id: eventId,
    type: spec.type,
    aggregateType: MESSAGE_AGGREGATE_TYPE,
    aggregateId: message.id,
    tenantId: message.tenantId,
    occurredAt: occurredAt.toISOString(),
    data,
  };
}

export function messageAccepted(message: SmsMessage, eventId: string): EventEnvelope<MessageAcceptedData> {
  const m = message.toSnapshot();
  return envelope(ORCHESTRATOR_EVENTS.accepted, message, eventId, m.acceptedAt, {
    messageId: m.id,
    tenantId: m.tenantId,
    from: m.from.value,
    fromType: m.from.kind,
    to: m.to,
    encoding: m.encoding,
    segments: m.segmentCount,
    clientReference: m.clientReference,
    validityPeriodSeconds: m.validityPeriodSeconds,
    expiresAt: m.expiresAt.toISOString(),
    callbackUrl: m.callbackUrl,
    acceptedAt: m.acceptedAt.toISOString(),
  });
}

/** `occurredAt` is when the orchestrator recorded the change; `changedAt` when it happened (a report's own time). */
export function messageStatusChanged(message: SmsMessage, change: StatusChange, eventId: string, now: Date): EventEnvelope<MessageStatusChangedData> {
  const m = message.toSnapshot();
  return envelope(ORCHESTRATOR_EVENTS.statusChanged, message, eventId, now, {
    messageId: m.id,
    tenantId: m.tenantId,
    previousStatus: change.from,
    status: change.to,
    errorCode: change.errorCode,
    reason: change.reason,
    smscMessageId: m.smscMessageId,
    clientReference: m.clientReference,
    callbackUrl: m.callbackUrl,
    changedAt: change.at.toISOString(),
  });
}

export function messageDeadLettered(
  message: SmsMessage,
  details: { readonly stage: PipelineStage; readonly reason: string },
  eventId: string,
  now: Date,
): EventEnvelope<MessageDeadLetteredData> {
  return envelope(ORCHESTRATOR_EVENTS.deadLettered, message, eventId, now, {
    messageId: message.id,
    tenantId: message.tenantId,
    attempts: message.pipelineAttempts,
    stage: details.stage,
    errorCode: 'ORCH.RETRIES_EXHAUSTED',
    reason: details.reason,
    deadLetteredAt: now.toISOString(),
  });
}

export function outboundRequested(message: SmsMessage, route: Route, eventId: string, now: Date): EventEnvelope<OutboundRequestedData> {
  const m = message.toSnapshot();
  return envelope(ORCHESTRATOR_EVENTS.outboundRequested, message, eventId, now, {
    messageId: m.id,
    tenantId: m.tenantId,
    from: m.from.value,
    fromType: m.from.kind,
    to: m.to,
    body: m.body,
    encoding: m.encoding,
    segments: m.segmentCount,
    operatorId: route.operatorId,
    connectionId: route.connectionId,
    validityPeriodSeconds: m.validityPeriodSeconds,
    expiresAt: m.expiresAt.toISOString(),
    attempt: m.pipelineAttempts,
    clientReference: m.clientReference,
    requestedAt: now.toISOString(),
  });
}
