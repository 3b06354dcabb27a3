import type { EventContract } from '../event-contract.js';

// Events produced by numbering-service (issue 4). Each is published on a subject equal to its type, inside
// the NUMBERING stream (`numbering.>`), in order per number (the envelope's aggregateId). Every number event
// carries `numberVersion`, the number's version after the change: consumers use it to drop stale updates
// and the ValidateLease cache uses it to refuse older snapshots.

const PRODUCER = 'numbering-service';
const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';
const ID = 'https://contracts.sms-platform.dev/events/';

const uuid = { type: 'string', format: 'uuid' } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const tenantId = { type: 'string', minLength: 1, maxLength: 128 } as const;
const operatorCode = { type: 'string', pattern: '^[A-Z][A-Z0-9_-]{1,31}$' } as const;
/** An MSISDN in E.164 with its `+`, or a 3–6 digit short code. */
const numberValue = { type: 'string', pattern: '^(\\+[1-9][0-9]{7,14}|[1-9][0-9]{2,5})$' } as const;

const numberRef = {
  numberId: uuid,
  number: numberValue,
  kind: { enum: ['msisdn', 'short_code'] },
  operatorCode,
  numberVersion: { type: 'integer', minimum: 2 },
} as const;
const numberRefRequired = ['numberId', 'number', 'kind', 'operatorCode', 'numberVersion'] as const;

const numberEvent = (
  type: string,
  title: string,
  properties: Readonly<Record<string, unknown>>,
  required: readonly string[],
): Readonly<Record<string, unknown>> => ({
  $schema: SCHEMA,
  $id: `${ID}${type}.json`,
  title,
  type: 'object',
  additionalProperties: false,
  required: [...numberRefRequired, ...required],
  properties: { ...numberRef, ...properties },
});

const exampleRef = {
  numberId: '01965f3a-7c1e-7a3b-9c2d-4e5f6a7b8c9d',
  number: '+93701234567',
  kind: 'msisdn',
  operatorCode: 'ROSHAN',
} as const;
const exampleTenant = 'tenant-acme';

export const numberingServiceEvents: EventContract[] = [
  {
    type: 'numbering.number.reserved.v1',
    subject: 'numbering.number.reserved.v1',
    producer: PRODUCER,
    description: 'An available number was reserved for a tenant until expiresAt (the reservation TTL).',
    schema: numberEvent(
      'numbering.number.reserved.v1',
      'Number reserved',
      { reservationId: uuid, tenantId, tenantPoolId: uuid, reservedAt: instant, expiresAt: instant },
      ['reservationId', 'tenantId', 'tenantPoolId', 'reservedAt', 'expiresAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 2,
      reservationId: '01965f3a-7c1e-7a3b-9c2d-000000000001',
      tenantId: exampleTenant,
      tenantPoolId: '01965f3a-7c1e-7a3b-9c2d-000000000002',
      reservedAt: '2026-05-01T10:00:00.000Z',
      expiresAt: '2026-05-02T10:00:00.000Z',
    },
  },
  {
    type: 'numbering.reservation.cancelled.v1',
    subject: 'numbering.reservation.cancelled.v1',
    producer: PRODUCER,
    description: 'The tenant released its reservation before the TTL; the number goes to quarantine (reservation_cancelled).',
    schema: numberEvent(
      'numbering.reservation.cancelled.v1',
      'Reservation cancelled',
      { reservationId: uuid, tenantId, cancelledAt: instant },
      ['reservationId', 'tenantId', 'cancelledAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 3,
      reservationId: '01965f3a-7c1e-7a3b-9c2d-000000000001',
      tenantId: exampleTenant,
      cancelledAt: '2026-05-01T12:00:00.000Z',
    },
  },
  {
    type: 'numbering.reservation.expired.v1',
    subject: 'numbering.reservation.expired.v1',
    producer: PRODUCER,
    description: 'A reservation reached its TTL without being assigned; the number goes to quarantine (reservation_expired).',
    schema: numberEvent(
      'numbering.reservation.expired.v1',
      'Reservation expired',
      { reservationId: uuid, tenantId, expiresAt: instant, expiredAt: instant },
      ['reservationId', 'tenantId', 'expiresAt', 'expiredAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 3,
      reservationId: '01965f3a-7c1e-7a3b-9c2d-000000000001',
      tenantId: exampleTenant,
      expiresAt: '2026-05-02T10:00:00.000Z',
      expiredAt: '2026-05-02T10:00:01.000Z',
    },
  },
  {
    type: 'numbering.lease.assigned.v1',
    subject: 'numbering.lease.assigned.v1',
    producer: PRODUCER,
    description: "A tenant's reservation became a lease: the tenant may send from the number for the listed uses until endsAt.",
    schema: numberEvent(
      'numbering.lease.assigned.v1',
      'Lease assigned',
      {
        leaseId: uuid,
        reservationId: uuid,
        tenantId,
        tenantPoolId: uuid,
        uses: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: ['transactional', 'promotional', 'otp', 'alert'] },
        },
        startsAt: instant,
        endsAt: instant,
        autoRenew: { type: 'boolean' },
      },
      ['leaseId', 'reservationId', 'tenantId', 'tenantPoolId', 'uses', 'startsAt', 'endsAt', 'autoRenew'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 3,
      leaseId: '01965f3a-7c1e-7a3b-9c2d-000000000003',
      reservationId: '01965f3a-7c1e-7a3b-9c2d-000000000001',
      tenantId: exampleTenant,
      tenantPoolId: '01965f3a-7c1e-7a3b-9c2d-000000000002',
      uses: ['otp', 'transactional'],
      startsAt: '2026-05-01T11:00:00.000Z',
      endsAt: '2027-05-01T11:00:00.000Z',
      autoRenew: true,
    },
  },
  {
    type: 'numbering.lease.renewed.v1',
    subject: 'numbering.lease.renewed.v1',
    producer: PRODUCER,
    description: 'A running lease was extended (by its tenant or by the daily auto-renewal job).',
    schema: numberEvent(
      'numbering.lease.renewed.v1',
      'Lease renewed',
      { leaseId: uuid, tenantId, previousEndsAt: instant, endsAt: instant, renewedAt: instant },
      ['leaseId', 'tenantId', 'previousEndsAt', 'endsAt', 'renewedAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 4,
      leaseId: '01965f3a-7c1e-7a3b-9c2d-000000000003',
      tenantId: exampleTenant,
      previousEndsAt: '2027-05-01T11:00:00.000Z',
      endsAt: '2028-04-30T11:00:00.000Z',
      renewedAt: '2027-04-25T02:00:00.000Z',
    },
  },
  {
    type: 'numbering.lease.released.v1',
    subject: 'numbering.lease.released.v1',
    producer: PRODUCER,
    description: 'A lease ended: released by its tenant or lapsed unrenewed. The sender stops validating; the number goes to quarantine.',
    schema: numberEvent(
      'numbering.lease.released.v1',
      'Lease released',
      { leaseId: uuid, tenantId, reason: { enum: ['tenant_released', 'lease_expired'] }, releasedAt: instant },
      ['leaseId', 'tenantId', 'reason', 'releasedAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 4,
      leaseId: '01965f3a-7c1e-7a3b-9c2d-000000000003',
      tenantId: exampleTenant,
      reason: 'tenant_released',
      releasedAt: '2026-09-01T08:00:00.000Z',
    },
  },
  {
    type: 'numbering.lease.reinstated.v1',
    subject: 'numbering.lease.reinstated.v1',
    producer: PRODUCER,
    description: 'Compliance reinstated a recalled lease: the tenant may send from the number again until endsAt.',
    schema: numberEvent(
      'numbering.lease.reinstated.v1',
      'Lease reinstated',
      { leaseId: uuid, tenantId, endsAt: instant, reinstatedAt: instant },
      ['leaseId', 'tenantId', 'endsAt', 'reinstatedAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 5,
      leaseId: '01965f3a-7c1e-7a3b-9c2d-000000000003',
      tenantId: exampleTenant,
      endsAt: '2027-05-01T11:00:00.000Z',
      reinstatedAt: '2026-06-10T09:30:00.000Z',
    },
  },
  {
    type: 'numbering.number.recalled.v1',
    subject: 'numbering.number.recalled.v1',
    producer: PRODUCER,
    description: 'A reserved or leased number was taken back from its tenant and held pending a compliance decision.',
    schema: numberEvent(
      'numbering.number.recalled.v1',
      'Number recalled',
      {
        tenantId,
        recalledFrom: { enum: ['reserved', 'assigned'] },
        reservationId: { oneOf: [uuid, { type: 'null' }] },
        leaseId: { oneOf: [uuid, { type: 'null' }] },
        reason: { enum: ['compliance_violation', 'tenant_suspended', 'tenant_deleted', 'regulator_order', 'operator_request'] },
        recalledAt: instant,
      },
      ['tenantId', 'recalledFrom', 'reservationId', 'leaseId', 'reason', 'recalledAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 4,
      tenantId: exampleTenant,
      recalledFrom: 'assigned',
      reservationId: null,
      leaseId: '01965f3a-7c1e-7a3b-9c2d-000000000003',
      reason: 'tenant_suspended',
      recalledAt: '2026-06-01T07:00:00.000Z',
    },
  },
  {
    type: 'numbering.number.quarantined.v1',
    subject: 'numbering.number.quarantined.v1',
    producer: PRODUCER,
    description: 'A number entered quarantine; it cannot be reserved before quarantineEndsAt (the cool-off of its reason).',
    schema: numberEvent(
      'numbering.number.quarantined.v1',
      'Number quarantined',
      {
        reason: { enum: ['released', 'reservation_expired', 'compliance_recall', 'reservation_cancelled'] },
        previousTenantId: { oneOf: [tenantId, { type: 'null' }] },
        quarantinedAt: instant,
        quarantineEndsAt: instant,
      },
      ['reason', 'previousTenantId', 'quarantinedAt', 'quarantineEndsAt'],
    ),
    example: {
      ...exampleRef,
      numberVersion: 4,
      reason: 'released',
      previousTenantId: exampleTenant,
      quarantinedAt: '2026-09-01T08:00:00.000Z',
      quarantineEndsAt: '2026-11-30T08:00:00.000Z',
    },
  },
  {
    type: 'numbering.number.quarantine-ended.v1',
    subject: 'numbering.number.quarantine-ended.v1',
    producer: PRODUCER,
    description: "A number's cool-off ended and it is available again.",
    schema: numberEvent('numbering.number.quarantine-ended.v1', 'Number quarantine ended', { endedAt: instant }, ['endedAt']),
    example: { ...exampleRef, numberVersion: 5, endedAt: '2026-11-30T08:05:00.000Z' },
  },
  {
    type: 'numbering.number.retired.v1',
    subject: 'numbering.number.retired.v1',
    producer: PRODUCER,
    description: 'A number was withdrawn from the inventory for good.',
    schema: numberEvent(
      'numbering.number.retired.v1',
      'Number retired',
      { reason: { enum: ['contract_ended', 'operator_withdrawn', 'regulator_order', 'administrative'] }, retiredAt: instant },
      ['reason', 'retiredAt'],
    ),
    example: { ...exampleRef, numberVersion: 6, reason: 'contract_ended', retiredAt: '2027-01-01T00:00:00.000Z' },
  },
  {
    type: 'numbering.import.completed.v1',
    subject: 'numbering.import.completed.v1',
    producer: PRODUCER,
    description: "An operator's signed inventory file was imported; its numbers are available.",
    schema: {
      $schema: SCHEMA,
      $id: `${ID}numbering.import.completed.v1.json`,
      title: 'Operator inventory imported',
      type: 'object',
      additionalProperties: false,
      required: ['importId', 'operatorCode', 'fileSha256', 'rowCount', 'msisdnCount', 'shortCodeCount', 'importedAt'],
      properties: {
        importId: uuid,
        operatorCode,
        fileSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        rowCount: { type: 'integer', minimum: 1 },
        msisdnCount: { type: 'integer', minimum: 0 },
        shortCodeCount: { type: 'integer', minimum: 0 },
        importedAt: instant,
      },
    },
    example: {
      importId: '01965f3a-7c1e-7a3b-9c2d-000000000009',
      operatorCode: 'ROSHAN',
      fileSha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
      rowCount: 5050,
      msisdnCount: 5000,
      shortCodeCount: 50,
      importedAt: '2026-04-21T09:00:00.000Z',
    },
  },
  {
    type: 'numbering.anomaly.detected.v1',
    subject: 'numbering.anomaly.detected.v1',
    producer: PRODUCER,
    description:
      "A tenant's reservation activity crossed an anomaly threshold in a sliding window (reserve–release churn or " +
      'conflict rate); fraud intelligence consumes it. At most one per tenant per window and replica; the envelope ' +
      "orders it by tenant (aggregateType 'tenant').",
    schema: {
      $schema: SCHEMA,
      $id: `${ID}numbering.anomaly.detected.v1.json`,
      title: 'Tenant numbering anomaly detected',
      type: 'object',
      additionalProperties: false,
      required: ['tenantId', 'rules', 'windowStart', 'windowEnd', 'reservations', 'releases', 'conflicts', 'attempts', 'conflictRate', 'thresholds'],
      properties: {
        tenantId,
        rules: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['reservation_churn', 'conflict_rate'] } },
        windowStart: instant,
        windowEnd: instant,
        reservations: { type: 'integer', minimum: 0 },
        releases: { type: 'integer', minimum: 0 },
        conflicts: { type: 'integer', minimum: 0 },
        attempts: { type: 'integer', minimum: 0 },
        conflictRate: { type: 'number', minimum: 0, maximum: 1 },
        thresholds: {
          type: 'object',
          additionalProperties: false,
          required: ['windowSeconds', 'churnCycles', 'conflictRate', 'minAttempts'],
          properties: {
            windowSeconds: { type: 'number', exclusiveMinimum: 0 },
            churnCycles: { type: 'integer', minimum: 1 },
            conflictRate: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
            minAttempts: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    example: {
      tenantId: exampleTenant,
      rules: ['reservation_churn'],
      windowStart: '2026-05-01T10:00:00.000Z',
      windowEnd: '2026-05-01T10:05:00.000Z',
      reservations: 24,
      releases: 21,
      conflicts: 2,
      attempts: 47,
      conflictRate: 0.0425531914893617,
      thresholds: { windowSeconds: 300, churnCycles: 20, conflictRate: 0.2, minAttempts: 20 },
    },
  },
];
