import type { EventContract } from '../event-contract.js';

/**
 * Events produced by operator-management (services/operator-management/docs/domain-model.md,
 * "Events"). Four types: operator created or updated share `ops.operator.changed.v1` (every
 * consumer upserts the snapshot by id and version), deletion is `ops.operator.deleted.v1`,
 * plus health changes and routing rule changes. Each is published on the subject equal to its
 * type. No schema has a password, secret or credential field: bind passwords live only in the
 * secret store, and an operator snapshot says only whether one is configured and its version.
 */

const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';
const ID_BASE = 'https://schemas.sms-platform.dev/events';
const PRODUCER = 'operator-management';

const uuid = { type: 'string', format: 'uuid' } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const operatorCode = { type: 'string', pattern: '^[A-Z][A-Z0-9-]{1,31}$' } as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] }) as const;
const mcc = nullable({ type: 'string', pattern: '^[0-9]{3}$' });
const mnc = nullable({ type: 'string', pattern: '^[0-9]{2,3}$' });
const digitPrefix = { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } as const;
const healthState = { type: 'string', enum: ['up', 'degraded', 'down'] } as const;

const connection = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'host', 'port', 'systemId', 'systemType', 'bindMode', 'tls', 'windowSize', 'throughputLimit', 'authentication'],
  properties: {
    id: uuid,
    host: { type: 'string', minLength: 1, maxLength: 253 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    systemId: { type: 'string', minLength: 1, maxLength: 15 },
    systemType: { type: 'string', maxLength: 12 },
    bindMode: { type: 'string', enum: ['transceiver', 'transmitter', 'receiver'] },
    tls: { type: 'boolean' },
    windowSize: { type: 'integer', minimum: 1, maximum: 1000 },
    throughputLimit: { type: 'integer', minimum: 1, maximum: 10000, description: 'messages per second' },
    authentication: {
      type: 'object',
      description: 'Whether a bind password is stored in the secret store, and its version; never the password.',
      additionalProperties: false,
      required: ['configured', 'version', 'changedAt'],
      properties: {
        configured: { type: 'boolean' },
        version: nullable({ type: 'integer', minimum: 1 }),
        changedAt: nullable(instant),
      },
    },
  },
} as const;

const operator = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'code',
    'name',
    'kind',
    'mcc',
    'mnc',
    'country',
    'status',
    'prefixes',
    'connections',
    'version',
    'createdAt',
    'updatedAt',
    'deletedAt',
  ],
  properties: {
    id: uuid,
    code: operatorCode,
    name: { type: 'string', minLength: 1, maxLength: 100 },
    kind: { type: 'string', enum: ['mno', 'aggregator'] },
    mcc,
    mnc,
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    status: { type: 'string', enum: ['active', 'suspended'] },
    prefixes: { type: 'array', items: digitPrefix, uniqueItems: true },
    connections: { type: 'array', minItems: 1, items: { $ref: '#/$defs/connection' } },
    version: { type: 'integer', minimum: 1 },
    createdAt: instant,
    updatedAt: instant,
    deletedAt: { type: 'null' },
  },
} as const;

const timeOfDay = { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' } as const;

const routingRule = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'prefixes', 'tenantId', 'senderTypes', 'timeWindow', 'operatorId', 'priority', 'weight', 'failover'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' },
    prefixes: { type: 'array', minItems: 1, items: digitPrefix, uniqueItems: true },
    tenantId: nullable({ type: 'string', minLength: 1, maxLength: 128 }),
    senderTypes: {
      anyOf: [
        { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['msisdn', 'short_code', 'alphanumeric'] } },
        { type: 'null' },
      ],
    },
    timeWindow: {
      anyOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['days', 'start', 'end', 'timezone'],
          properties: {
            days: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } },
            start: timeOfDay,
            end: timeOfDay,
            timezone: { type: 'string', minLength: 1, description: 'IANA time zone, Asia/Kabul by default' },
          },
        },
        { type: 'null' },
      ],
    },
    operatorId: uuid,
    priority: { type: 'integer', minimum: 0, maximum: 1000000, description: 'lower numbers are tried first' },
    weight: { type: 'integer', minimum: 1, maximum: 1000000 },
    failover: { type: 'array', maxItems: 10, uniqueItems: true, items: uuid },
  },
} as const;

const ROSHAN_ID = '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a01';
const AWCC_ID = '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a02';
const ROSHAN_CONNECTION_ID = '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2b01';

export const operatorManagementEvents: EventContract[] = [
  {
    type: 'ops.operator.changed.v1',
    subject: 'ops.operator.changed.v1',
    producer: PRODUCER,
    description:
      'An operator was created or updated (fields, status active/suspended, connections, or a rotated bind password, seen as a new authentication version). Carries the whole operator; consumers upsert by id when version is higher.',
    schema: {
      $schema: SCHEMA,
      $id: `${ID_BASE}/ops.operator.changed.v1.json`,
      title: 'OperatorChanged',
      type: 'object',
      additionalProperties: false,
      required: ['change', 'changedFields', 'operator'],
      properties: {
        change: { type: 'string', enum: ['created', 'updated'] },
        changedFields: { type: 'array', items: { type: 'string', minLength: 1 } },
        operator: { $ref: '#/$defs/operator' },
      },
      $defs: { operator, connection },
    },
    example: {
      change: 'updated',
      changedFields: [`connections[${ROSHAN_CONNECTION_ID}].authentication`],
      operator: {
        id: ROSHAN_ID,
        code: 'ROSHAN',
        name: 'Roshan (Telecom Development Company Afghanistan)',
        kind: 'mno',
        mcc: '412',
        mnc: '20',
        country: 'AF',
        status: 'active',
        prefixes: ['9372', '9379'],
        connections: [
          {
            id: ROSHAN_CONNECTION_ID,
            host: 'smsc1.roshan.example',
            port: 3550,
            systemId: 'ROSH_A2P',
            systemType: '',
            bindMode: 'transceiver',
            tls: true,
            windowSize: 50,
            throughputLimit: 200,
            authentication: { configured: true, version: 2, changedAt: '2026-04-18T09:30:00.000Z' },
          },
        ],
        version: 7,
        createdAt: '2026-01-05T08:00:00.000Z',
        updatedAt: '2026-04-18T09:30:00.000Z',
        deletedAt: null,
      },
    },
  },
  {
    type: 'ops.operator.deleted.v1',
    subject: 'ops.operator.deleted.v1',
    producer: PRODUCER,
    description:
      'An operator was soft-deleted: it leaves routing and the gateway unbinds it. Its record and history stay in operator-management; its code and MCC/MNC may be reused by a new operator.',
    schema: {
      $schema: SCHEMA,
      $id: `${ID_BASE}/ops.operator.deleted.v1.json`,
      title: 'OperatorDeleted',
      type: 'object',
      additionalProperties: false,
      required: ['operatorId', 'code', 'mcc', 'mnc', 'version', 'deletedAt'],
      properties: {
        operatorId: uuid,
        code: operatorCode,
        mcc,
        mnc,
        version: { type: 'integer', minimum: 2 },
        deletedAt: instant,
      },
    },
    example: {
      operatorId: AWCC_ID,
      code: 'AWCC',
      mcc: '412',
      mnc: '01',
      version: 12,
      deletedAt: '2026-04-18T10:00:00.000Z',
    },
  },
  {
    type: 'ops.operator-health.changed.v1',
    subject: 'ops.operator-health.changed.v1',
    producer: PRODUCER,
    description:
      'The derived health of an operator moved between up, degraded and down (never sent for a report that leaves the state as it was). previousState is null for the first state ever derived.',
    schema: {
      $schema: SCHEMA,
      $id: `${ID_BASE}/ops.operator-health.changed.v1.json`,
      title: 'OperatorHealthChanged',
      type: 'object',
      additionalProperties: false,
      required: ['operatorId', 'operatorCode', 'previousState', 'state', 'reason', 'connections', 'changedAt'],
      properties: {
        operatorId: uuid,
        operatorCode: operatorCode,
        previousState: nullable(healthState),
        state: healthState,
        reason: { type: 'string', minLength: 1 },
        connections: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['connectionId', 'bindState', 'latencyMs', 'errorRate', 'throughputPerSecond', 'reportedAt'],
            properties: {
              connectionId: uuid,
              bindState: { type: 'string', enum: ['bound', 'unbound', 'binding'] },
              latencyMs: { type: 'number', minimum: 0 },
              errorRate: { type: 'number', minimum: 0, maximum: 1 },
              throughputPerSecond: { type: 'number', minimum: 0 },
              reportedAt: instant,
            },
          },
        },
        changedAt: instant,
      },
    },
    example: {
      operatorId: ROSHAN_ID,
      operatorCode: 'ROSHAN',
      previousState: 'up',
      state: 'degraded',
      reason: `connection ${ROSHAN_CONNECTION_ID} latency 3400 ms > 2000 ms`,
      connections: [
        {
          connectionId: ROSHAN_CONNECTION_ID,
          bindState: 'bound',
          latencyMs: 3400,
          errorRate: 0.01,
          throughputPerSecond: 120.5,
          reportedAt: '2026-04-18T11:59:58.000Z',
        },
      ],
      changedAt: '2026-04-18T12:00:00.000Z',
    },
  },
  {
    type: 'ops.routing-rules.changed.v1',
    subject: 'ops.routing-rules.changed.v1',
    producer: PRODUCER,
    description:
      'The routing rule set was replaced. Carries the whole new set (ordered by priority, then id) so the routing engine replaces its copy; versions only grow, a consumer ignores a version it already has.',
    schema: {
      $schema: SCHEMA,
      $id: `${ID_BASE}/ops.routing-rules.changed.v1.json`,
      title: 'RoutingRulesChanged',
      type: 'object',
      additionalProperties: false,
      required: ['version', 'previousVersion', 'rules', 'changedAt'],
      properties: {
        version: { type: 'integer', minimum: 1 },
        previousVersion: { type: 'integer', minimum: 0 },
        rules: { type: 'array', maxItems: 5000, items: { $ref: '#/$defs/routingRule' } },
        changedAt: instant,
      },
      $defs: { routingRule },
    },
    example: {
      version: 4,
      previousVersion: 3,
      rules: [
        {
          id: 'roshan-own-numbers',
          prefixes: ['9372', '9379'],
          tenantId: null,
          senderTypes: null,
          timeWindow: null,
          operatorId: ROSHAN_ID,
          priority: 10,
          weight: 1,
          failover: [AWCC_ID],
        },
        {
          id: 'awcc-night-otp',
          prefixes: ['9370', '9371'],
          tenantId: '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2c01',
          senderTypes: ['short_code'],
          timeWindow: { days: ['mon', 'tue', 'wed', 'thu', 'sat', 'sun'], start: '22:00', end: '06:00', timezone: 'Asia/Kabul' },
          operatorId: AWCC_ID,
          priority: 20,
          weight: 100,
          failover: [],
        },
      ],
      changedAt: '2026-04-18T12:30:00.000Z',
    },
  },
];
