import type { Selectable } from 'kysely';
import { z } from 'zod';
import { MESSAGE_USES, NUMBER_KINDS, QUARANTINE_REASONS, RECALL_REASONS, RETIREMENT_REASONS, VANITY_TIERS } from '../../index.js';
import type { Lease, NumberLifecycle, NumberRecord, Reservation } from '../../index.js';
import type { NumbersTable } from './numbering-tables.js';

/** How `numbers.lifecycle` stores the domain's lifecycle: the same shape, instants as ISO strings. */
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const reservationJson = z.object({
  id: z.string(),
  tenantId: z.string(),
  tenantPoolId: z.string(),
  reservedAt: instant,
  expiresAt: instant,
});

const leaseJson = z.object({
  id: z.string(),
  reservationId: z.string(),
  tenantId: z.string(),
  tenantPoolId: z.string(),
  uses: z.array(z.enum(MESSAGE_USES)),
  startsAt: instant,
  endsAt: instant,
  autoRenew: z.boolean(),
});

const lifecycleJson = z.discriminatedUnion('state', [
  z.object({ state: z.literal('available') }),
  z.object({ state: z.literal('reserved'), reservation: reservationJson }),
  z.object({ state: z.literal('assigned'), lease: leaseJson }),
  z.object({
    state: z.literal('quarantined'),
    quarantine: z.object({
      reason: z.enum(QUARANTINE_REASONS),
      startedAt: instant,
      endsAt: instant,
      previousTenantId: z.string().nullable(),
    }),
  }),
  z.object({
    state: z.literal('recalled'),
    recall: z.object({
      reason: z.enum(RECALL_REASONS),
      recalledAt: instant,
      tenantId: z.string(),
      reservation: reservationJson.nullable(),
      lease: leaseJson.nullable(),
    }),
  }),
  z.object({
    state: z.literal('retired'),
    retirement: z.object({ reason: z.enum(RETIREMENT_REASONS), retiredAt: instant }),
  }),
]);

const reservationToJson = (r: Reservation): Record<string, unknown> => ({
  id: r.id,
  tenantId: r.tenantId,
  tenantPoolId: r.tenantPoolId,
  reservedAt: r.reservedAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
});

const leaseToJson = (l: Lease): Record<string, unknown> => ({
  id: l.id,
  reservationId: l.reservationId,
  tenantId: l.tenantId,
  tenantPoolId: l.tenantPoolId,
  uses: [...l.uses],
  startsAt: l.startsAt.toISOString(),
  endsAt: l.endsAt.toISOString(),
  autoRenew: l.autoRenew,
});

export function lifecycleToJson(lifecycle: NumberLifecycle): Record<string, unknown> {
  switch (lifecycle.state) {
    case 'available':
      return { state: 'available' };
    case 'reserved':
      return { state: 'reserved', reservation: reservationToJson(lifecycle.reservation) };
    case 'assigned':
      return { state: 'assigned', lease: leaseToJson(lifecycle.lease) };
    case 'quarantined': {
      const q = lifecycle.quarantine;
      return {
        state: 'quarantined',
        quarantine: { reason: q.reason, startedAt: q.startedAt.toISOString(), endsAt: q.endsAt.toISOString(), previousTenantId: q.previousTenantId },
      };
    }
    case 'recalled': {
      const r = lifecycle.recall;
      return {
        state: 'recalled',
        recall: {
          reason: r.reason,
          recalledAt: r.recalledAt.toISOString(),
          tenantId: r.tenantId,
          reservation: r.reservation === null ? null : reservationToJson(r.reservation),
          lease: r.lease === null ? null : leaseToJson(r.lease),
        },
      };
    }
    case 'retired':
      return { state: 'retired', retirement: { reason: lifecycle.retirement.reason, retiredAt: lifecycle.retirement.retiredAt.toISOString() } };
  }
}

/** The instant the current state's scheduled job looks at (reservation TTL, lease end, quarantine end). */
export function deadlineOf(lifecycle: NumberLifecycle): Date | null {
  switch (lifecycle.state) {
    case 'reserved':
      return lifecycle.reservation.expiresAt;
    case 'assigned':
      return lifecycle.lease.endsAt;
    case 'quarantined':
      return lifecycle.quarantine.endsAt;
    case 'available':
    case 'recalled':
    case 'retired':
      return null;
  }
}

export function holderTenantOf(lifecycle: NumberLifecycle): string | null {
  if (lifecycle.state === 'reserved') return lifecycle.reservation.tenantId;
  if (lifecycle.state === 'assigned') return lifecycle.lease.tenantId;
  return null;
}

type NumberRow = Selectable<NumbersTable>;

const kind = z.enum(NUMBER_KINDS);
const tier = z.enum(VANITY_TIERS);

/**
 * Reads a stored row back into the domain record. A row that does not parse means the table was
 * changed outside this service: that is a fault, so it throws rather than guessing.
 */
export function numberFromRow(row: NumberRow): NumberRecord {
  const lifecycle = lifecycleJson.safeParse(row.lifecycle);
  if (!lifecycle.success) throw new Error(`numbers row ${row.id} has a malformed lifecycle: ${lifecycle.error.message}`);
  return {
    id: row.id,
    kind: kind.parse(row.kind),
    value: row.value,
    operatorCode: row.operator_code,
    contractId: row.contract_id,
    blockId: row.block_id,
    poolId: row.pool_id,
    tier: tier.parse(row.tier),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lifecycle: lifecycle.data,
  };
}

/** The columns a number is stored as (insert) — `lifecycle` as JSON text. */
export function numberToRow(number: NumberRecord): {
  id: string;
  kind: string;
  value: string;
  operator_code: string;
  contract_id: string;
  block_id: string;
  pool_id: string;
  tier: string;
  state: string;
  holder_tenant_id: string | null;
  lifecycle: string;
  deadline_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
} {
  return {
    id: number.id,
    kind: number.kind,
    value: number.value,
    operator_code: number.operatorCode,
    contract_id: number.contractId,
    block_id: number.blockId,
    pool_id: number.poolId,
    tier: number.tier,
    state: number.lifecycle.state,
    holder_tenant_id: holderTenantOf(number.lifecycle),
    lifecycle: JSON.stringify(lifecycleToJson(number.lifecycle)),
    deadline_at: deadlineOf(number.lifecycle),
    version: number.version,
    created_at: number.createdAt,
    updated_at: number.updatedAt,
  };
}
