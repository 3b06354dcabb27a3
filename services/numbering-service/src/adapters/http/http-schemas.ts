import { z } from 'zod';
import { MESSAGE_USES, NUMBER_STATES, QUARANTINE_REASONS, RECALL_REASONS, RETIREMENT_REASONS, TENANT_SEGMENTS, VANITY_TIERS } from '../../index.js';

// Request bodies validate shapes only; the use cases validate meaning (formats, ranges) and answer
// NUMBERING.INVALID_ARGUMENT naming the field, so the two never disagree.

const iso = z.string().describe('RFC 3339 instant, UTC, e.g. 2026-05-01T10:00:00.000Z');

export const numberParam = z.object({
  number: z.string().min(1).max(32).describe('E.164 MSISDN with its + (URL-encode it as %2B or send it as is), or a short code'),
});
export const tenantParam = z.object({ tenantId: z.string().min(1).max(128) });

export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).describe('1–200 printable ASCII characters; a retry with the same key and body replays the first answer for 48 h'),
});

export const pageQuery = z.object({
  after: z.string().min(1).max(200).optional().describe('Cursor: `next` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const numberView = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(['msisdn', 'short_code']),
  tier: z.enum(VANITY_TIERS),
  operatorCode: z.string(),
  contractId: z.string(),
  blockId: z.string(),
  poolId: z.string(),
  state: z.enum(NUMBER_STATES),
  version: z.number().int(),
  updatedAt: iso,
  reservation: z.object({ reservationId: z.string(), tenantId: z.string(), tenantPoolId: z.string(), reservedAt: iso, expiresAt: iso }).nullable(),
  lease: z
    .object({
      leaseId: z.string(),
      tenantId: z.string(),
      tenantPoolId: z.string(),
      uses: z.array(z.enum(MESSAGE_USES)),
      startsAt: iso,
      endsAt: iso,
      autoRenew: z.boolean(),
    })
    .nullable(),
  quarantine: z.object({ reason: z.enum(QUARANTINE_REASONS), startedAt: iso, endsAt: iso }).nullable(),
  recall: z.object({ reason: z.enum(RECALL_REASONS), recalledAt: iso, tenantId: z.string(), recalledFrom: z.enum(['reserved', 'assigned']) }).nullable(),
  retirement: z.object({ reason: z.enum(RETIREMENT_REASONS), retiredAt: iso }).nullable(),
});

export const publicNumberView = z.object({
  number: z.string(),
  kind: z.enum(['msisdn', 'short_code']),
  tier: z.enum(VANITY_TIERS),
  operatorCode: z.string(),
  state: z.enum(['available', 'unavailable']),
});

export const lookupView = z.discriminatedUnion('view', [
  z.object({ view: z.literal('full'), number: numberView }),
  z.object({ view: z.literal('public'), number: publicNumberView }),
]);

export const numberPage = z.object({ items: z.array(numberView), next: z.string().nullable() });

export const contractView = z.object({ id: z.string(), operatorCode: z.string(), reference: z.string(), startsAt: iso, endsAt: iso.nullable() });
export const blockView = z.object({
  id: z.string(),
  contractId: z.string(),
  operatorCode: z.string(),
  reference: z.string(),
  kind: z.string(),
  rangeStart: z.string(),
  rangeEnd: z.string(),
});
export const poolView = z.object({ id: z.string(), reference: z.string(), name: z.string(), kind: z.string().nullable(), segments: z.array(z.string()) });
export const tenantPoolView = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  segment: z.enum(TENANT_SEGMENTS),
  allowedTiers: z.array(z.enum(VANITY_TIERS)),
});
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

export const createContractBody = z.object({
  operatorCode: z.string().max(32),
  reference: z.string().max(64),
  startsAt: z.string().max(40),
  endsAt: z.string().max(40).nullable().default(null),
});
export const createBlockBody = z.object({
  operatorCode: z.string().max(32),
  contractReference: z.string().max(64),
  reference: z.string().max(64),
  kind: z.string().max(20),
  rangeStart: z.string().max(32),
  rangeEnd: z.string().max(32),
});
export const createPoolBody = z.object({
  reference: z.string().max(64),
  name: z.string().max(200),
  kind: z.string().max(20).nullable().default(null),
  segments: z.array(z.string().max(20)).max(3).default([]),
});
export const createTenantPoolBody = z.object({
  name: z.string().max(200),
  segment: z.string().max(20),
  allowedTiers: z.array(z.string().max(20)).max(4).optional(),
});

export const adminReserveBody = z.object({
  tenantId: z.string().max(128),
  tenantPoolId: z.string().max(64),
  ttlSeconds: z.number().int().optional(),
});
export const tenantReserveBody = z.object({
  number: z.string().max(32),
  tenantPoolId: z.string().max(64),
  ttlSeconds: z.number().int().optional(),
});
export const adminAssignBody = z.object({
  tenantId: z.string().max(128),
  uses: z.array(z.string().max(20)).max(4),
  termDays: z.number().int().optional(),
  autoRenew: z.boolean().optional(),
});
export const tenantAssignBody = adminAssignBody.omit({ tenantId: true });
export const adminTenantBody = z.object({ tenantId: z.string().max(128) });
export const adminRenewBody = z.object({ tenantId: z.string().max(128), termDays: z.number().int().optional() });
export const tenantRenewBody = z.object({ termDays: z.number().int().optional() });
export const recallBody = z.object({ reason: z.string().max(40), note: z.string().max(500).optional() });
export const resolveRecallBody = z.object({ decision: z.string().max(20), quarantineReason: z.string().max(40).optional() });
export const retireBody = z.object({ reason: z.string().max(40) });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export const importBody = z.object({
  operatorCode: z.string().max(32),
  file: z.string().regex(BASE64, 'must be base64').describe('The exact bytes of the operator CSV file, base64'),
  signature: z
    .string()
    .regex(BASE64, 'must be base64')
    .optional()
    .describe('The detached RSASSA-PKCS1-v1_5/SHA-256 signature (what `openssl dgst -sha256 -sign` writes), base64'),
});
export const importView = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('imported'),
    importId: z.string(),
    fileSha256: z.string(),
    keyId: z.string(),
    rowCount: z.number().int(),
    msisdnCount: z.number().int(),
    shortCodeCount: z.number().int(),
  }),
  z.object({ status: z.literal('already_imported'), importId: z.string(), fileSha256: z.string(), importedAt: iso }),
]);

export const auditRowView = z.object({
  seq: z.number().int(),
  id: z.string(),
  occurredAt: z.string(),
  actor: z.object({ role: z.string(), id: z.string(), tenantId: z.string().nullable() }),
  action: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  aggregateVersion: z.number().int().nullable(),
  tenantId: z.string().nullable(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export const auditPage = z.object({ items: z.array(auditRowView), next: z.number().int().nullable() });
export const auditQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) });
export const verifyBody = z.object({ anchor: z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) }).optional() });
export const verifyView = z.union([
  z.object({ intact: z.literal(true), rowCount: z.number().int(), head: z.object({ seq: z.number().int(), hash: z.string() }).nullable() }),
  z.object({
    intact: z.literal(false),
    rowCount: z.number().int(),
    firstBroken: z.object({ seq: z.number().int(), id: z.string().nullable(), reason: z.string() }),
  }),
]);

export const holdingsQuery = pageQuery.extend({ state: z.enum(['reserved', 'assigned']).optional() });
export const numbersQuery = pageQuery.extend({ state: z.enum(NUMBER_STATES).optional(), operatorCode: z.string().max(32).optional() });
export const catalogQuery = pageQuery.extend({ operatorCode: z.string().max(32).optional() });
