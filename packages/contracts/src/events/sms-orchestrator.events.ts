import type { EventContract } from '../event-contract.js';

// The events sms-orchestrator produces. Each schema describes the envelope's `data`; the
// envelope itself (id, type, aggregate, tenant, occurredAt) is common to every event.

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const PRODUCER = 'sms-orchestrator';
const SCHEMA_BASE = 'https://schemas.sms-platform.dev/events';

const messageId = { type: 'string', format: 'uuid', description: 'The message id (UUIDv7) the submit API returned.' } as const;
const tenantId = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
  description: 'The tenant that submitted the message.',
} as const;
const e164 = { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$', description: 'An MSISDN in E.164.' } as const;
const sender = {
  type: 'string',
  pattern: '^(\\+[1-9][0-9]{6,14}|[0-9]{3,8})$',
  description: 'The originator: an E.164 MSISDN or a short code of 3 to 8 digits.',
} as const;
const senderType = { type: 'string', enum: ['msisdn', 'short_code'], description: 'Which kind of originator `from` is.' } as const;
const encoding = { type: 'string', enum: ['GSM-7', 'UCS-2'] } as const;
const segments = { type: 'integer', minimum: 1, maximum: 255, description: 'Number of SMS parts.' } as const;
const clientReference = {
  type: ['string', 'null'],
  minLength: 1,
  maxLength: 64,
  description: "The client's own label for the message, if it gave one.",
} as const;
const validityPeriodSeconds = { type: 'integer', minimum: 60, maximum: 259200 } as const;
const callbackUrl = {
  type: ['string', 'null'],
  format: 'uri',
  maxLength: 2048,
  description: 'Where the client wants status callbacks, if anywhere.',
} as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const status = {
  type: 'string',
  enum: ['accepted', 'routed', 'submitted', 'delivered', 'undelivered', 'expired', 'failed', 'rejected', 'dead_lettered'],
} as const;
const errorCode = {
  type: ['string', 'null'],
  minLength: 1,
  maxLength: 64,
  description: 'ORCH.* reason code, or the SMPP gateway\'s code for an operator failure; null when the status is not a failure.',
} as const;
const reason = { type: ['string', 'null'], maxLength: 1024 } as const;

export const smsOrchestratorEvents: EventContract[] = [
  {
    type: 'sms.message.accepted.v1',
    subject: 'sms.message.accepted',
    producer: PRODUCER,
    description:
      'A message passed validation and was stored with status accepted; the orchestrator itself consumes it to start the pipeline (validate, sender lease, route, dispatch). Carries no body.',
    schema: {
      $schema: DRAFT,
      $id: `${SCHEMA_BASE}/sms.message.accepted.v1.json`,
      title: 'sms.message.accepted.v1',
      type: 'object',
      additionalProperties: false,
      required: [
        'messageId',
        'tenantId',
        'from',
        'fromType',
        'to',
        'encoding',
        'segments',
        'clientReference',
        'validityPeriodSeconds',
        'expiresAt',
        'callbackUrl',
        'acceptedAt',
      ],
      properties: {
        messageId,
        tenantId,
        from: sender,
        fromType: senderType,
        to: e164,
        encoding,
        segments,
        clientReference,
        validityPeriodSeconds,
        expiresAt: { ...timestamp, description: 'acceptedAt plus the validity period.' },
        callbackUrl,
        acceptedAt: timestamp,
      },
    },
    example: {
      messageId: '01963a2e-7c4f-7b1a-9a53-3c1f0e2d4b6a',
      tenantId: 'acme-bank',
      from: '+93701234567',
      fromType: 'msisdn',
      to: '+93791234567',
      encoding: 'GSM-7',
      segments: 1,
      clientReference: 'otp-4711',
      validityPeriodSeconds: 86400,
      expiresAt: '2026-04-19T10:15:00.000Z',
      callbackUrl: 'https://hooks.acme-bank.example/sms-status',
      acceptedAt: '2026-04-18T10:15:00.000Z',
    },
  },
  {
    type: 'sms.message.status-changed.v1',
    subject: 'sms.message.status-changed',
    producer: PRODUCER,
    description:
      'A message changed status after acceptance (routed, submitted, a final status, or dead_lettered); the source of client status callbacks. Out-of-order delivery reports never produce a backward change.',
    schema: {
      $schema: DRAFT,
      $id: `${SCHEMA_BASE}/sms.message.status-changed.v1.json`,
      title: 'sms.message.status-changed.v1',
      type: 'object',
      additionalProperties: false,
      required: [
        'messageId',
        'tenantId',
        'previousStatus',
        'status',
        'errorCode',
        'reason',
        'smscMessageId',
        'clientReference',
        'callbackUrl',
        'changedAt',
      ],
      properties: {
        messageId,
        tenantId,
        previousStatus: status,
        status,
        errorCode,
        reason,
        smscMessageId: { type: ['string', 'null'], minLength: 1, maxLength: 65, description: 'The id the SMSC gave the message, once known.' },
        clientReference,
        callbackUrl,
        changedAt: { ...timestamp, description: 'When the change happened (for delivery reports, the time the gateway reported).' },
      },
    },
    example: {
      messageId: '01963a2e-7c4f-7b1a-9a53-3c1f0e2d4b6a',
      tenantId: 'acme-bank',
      previousStatus: 'submitted',
      status: 'delivered',
      errorCode: null,
      reason: null,
      smscMessageId: '5f3a9c01',
      clientReference: 'otp-4711',
      callbackUrl: 'https://hooks.acme-bank.example/sms-status',
      changedAt: '2026-04-18T10:15:04.210Z',
    },
  },
  {
    type: 'sms.message.dead-lettered.v1',
    subject: 'sms.message.dead-lettered',
    producer: PRODUCER,
    description:
      'The pipeline gave up on a message after a dependency (numbering service or routing engine) stayed unavailable through every retry; the message is in status dead_lettered (shown to clients as failed, ORCH.RETRIES_EXHAUSTED).',
    schema: {
      $schema: DRAFT,
      $id: `${SCHEMA_BASE}/sms.message.dead-lettered.v1.json`,
      title: 'sms.message.dead-lettered.v1',
      type: 'object',
      additionalProperties: false,
      required: ['messageId', 'tenantId', 'attempts', 'stage', 'errorCode', 'reason', 'deadLetteredAt'],
      properties: {
        messageId,
        tenantId,
        attempts: { type: 'integer', minimum: 1, description: 'Pipeline attempts made, the last included.' },
        stage: { type: 'string', enum: ['validate', 'sender_lease', 'route', 'dispatch'], description: 'The stage whose dependency kept failing.' },
        errorCode: { type: 'string', const: 'ORCH.RETRIES_EXHAUSTED' },
        reason: { type: 'string', minLength: 1, maxLength: 1024 },
        deadLetteredAt: timestamp,
      },
    },
    example: {
      messageId: '01963a2e-7c4f-7b1a-9a53-3c1f0e2d4b6a',
      tenantId: 'acme-bank',
      attempts: 6,
      stage: 'route',
      errorCode: 'ORCH.RETRIES_EXHAUSTED',
      reason: 'routing engine unavailable: deadline exceeded',
      deadLetteredAt: '2026-04-18T10:17:12.000Z',
    },
  },
  {
    type: 'sms.outbound.requested.v1',
    subject: 'sms.outbound.request',
    producer: PRODUCER,
    description:
      'A routed message is ready for the SMPP gateway to submit over the chosen operator connection. Published on the subject the retired api-gateway used. Carries the body and full MSISDNs: fine on the bus, never in logs.',
    schema: {
      $schema: DRAFT,
      $id: `${SCHEMA_BASE}/sms.outbound.requested.v1.json`,
      title: 'sms.outbound.requested.v1',
      type: 'object',
      additionalProperties: false,
      required: [
        'messageId',
        'tenantId',
        'from',
        'fromType',
        'to',
        'body',
        'encoding',
        'segments',
        'operatorId',
        'connectionId',
        'validityPeriodSeconds',
        'expiresAt',
        'attempt',
        'clientReference',
        'requestedAt',
      ],
      properties: {
        messageId,
        tenantId,
        from: sender,
        fromType: senderType,
        to: e164,
        body: { type: 'string', minLength: 1, maxLength: 39015, description: 'The message text; the gateway encodes it as `encoding` says.' },
        encoding,
        segments,
        operatorId: { type: 'string', minLength: 1, maxLength: 64, description: 'The operator (MNO) the routing engine chose.' },
        connectionId: { type: 'string', minLength: 1, maxLength: 128, description: 'The SMPP connection (bind) to submit on.' },
        validityPeriodSeconds,
        expiresAt: { ...timestamp, description: 'Absolute end of validity, for the SMPP validity_period.' },
        attempt: { type: 'integer', minimum: 1, description: 'The pipeline attempt that dispatched the message.' },
        clientReference,
        requestedAt: timestamp,
      },
    },
    example: {
      messageId: '01963a2e-7c4f-7b1a-9a53-3c1f0e2d4b6a',
      tenantId: 'acme-bank',
      from: '+93701234567',
      fromType: 'msisdn',
      to: '+93791234567',
      body: 'Your code is 482913',
      encoding: 'GSM-7',
      segments: 1,
      operatorId: 'roshan',
      connectionId: 'roshan-smpp-1',
      validityPeriodSeconds: 86400,
      expiresAt: '2026-04-19T10:15:00.000Z',
      attempt: 1,
      clientReference: 'otp-4711',
      requestedAt: '2026-04-18T10:15:00.350Z',
    },
  },
];
