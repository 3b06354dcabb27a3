import type { EventContract } from '../event-contract.js';

// The events smpp-gateway produces. Each schema describes the envelope's `data`.

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const SCHEMA_BASE = 'https://schemas.sms-platform.dev/events';

export const smppGatewayEvents: EventContract[] = [
  {
    type: 'sms.delivery.status.v1',
    subject: 'sms.delivery.status',
    producer: 'smpp-gateway',
    description:
      'The SMSC accepted every part of a message (status submitted, with the id the SMSC gave the first part), refused it (failed), or the delivery receipts of all its parts gave it a final status (delivered only when every part was delivered). The orchestrator moves the message to this status; at-least-once, so a status may be reported twice.',
    schema: {
      $schema: DRAFT,
      $id: `${SCHEMA_BASE}/sms.delivery.status.v1.json`,
      title: 'sms.delivery.status.v1',
      type: 'object',
      additionalProperties: false,
      required: ['messageId', 'tenantId', 'status', 'smscMessageId', 'errorCode', 'errorReason', 'reportedAt', 'operatorId', 'connectionId'],
      properties: {
        messageId: { type: 'string', format: 'uuid', description: 'The platform message id.' },
        tenantId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
        status: { type: 'string', enum: ['submitted', 'delivered', 'undelivered', 'expired', 'failed'] },
        smscMessageId: {
          type: ['string', 'null'],
          minLength: 1,
          maxLength: 128,
          description: 'The id the SMSC gave the first part in submit_sm_resp, as written; null when the SMSC never accepted the message.',
        },
        errorCode: {
          type: ['string', 'null'],
          minLength: 1,
          maxLength: 64,
          description: 'SMPP.* code: SMPP.0x<command_status> for a refused submit, SMPP.UNDELIVERABLE / EXPIRED / REJECTED / DELETED / UNKNOWN_STATE from a receipt; null when delivered or submitted.',
        },
        errorReason: { type: ['string', 'null'], maxLength: 512 },
        reportedAt: { type: 'string', format: 'date-time', description: 'When the gateway got the submit response or the last receipt.' },
        operatorId: { type: 'string', minLength: 1, maxLength: 64 },
        connectionId: { type: 'string', minLength: 1, maxLength: 128 },
      },
    },
    example: {
      messageId: '01963a2e-7c4f-7b1a-9a53-3c1f0e2d4b6a',
      tenantId: 'acme-bank',
      status: 'delivered',
      smscMessageId: '5f3a9c01',
      errorCode: null,
      errorReason: null,
      reportedAt: '2026-04-18T10:15:04.210Z',
      operatorId: 'roshan',
      connectionId: 'roshan-smpp-1',
    },
  },
];
