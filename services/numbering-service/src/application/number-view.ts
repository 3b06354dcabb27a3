import type { VanityTier } from '../domain/catalog.js';
import type { MessageUse, NumberRecord, NumberState, RecallReason, RetirementReason } from '../domain/number.js';
import type { QuarantineReason } from '../domain/numbering-policy.js';
import type { NumberKind } from '../domain/number-value.js';

/** A number as the APIs show it to staff, services and its holder. JSON-safe (instants are ISO strings). */
export interface NumberView {
  readonly id: string;
  readonly number: string;
  readonly kind: NumberKind;
  readonly tier: VanityTier;
  readonly operatorCode: string;
  readonly contractId: string;
  readonly blockId: string;
  readonly poolId: string;
  readonly state: NumberState;
  readonly version: number;
  readonly updatedAt: string;
  readonly reservation: {
    readonly reservationId: string;
    readonly tenantId: string;
    readonly tenantPoolId: string;
    readonly reservedAt: string;
    readonly expiresAt: string;
  } | null;
  readonly lease: {
    readonly leaseId: string;
    readonly tenantId: string;
    readonly tenantPoolId: string;
    readonly uses: readonly MessageUse[];
    readonly startsAt: string;
    readonly endsAt: string;
    readonly autoRenew: boolean;
  } | null;
  readonly quarantine: { readonly reason: QuarantineReason; readonly startedAt: string; readonly endsAt: string } | null;
  readonly recall: {
    readonly reason: RecallReason;
    readonly recalledAt: string;
    readonly tenantId: string;
    readonly recalledFrom: 'reserved' | 'assigned';
  } | null;
  readonly retirement: { readonly reason: RetirementReason; readonly retiredAt: string } | null;
}

/** What a tenant sees of a number it does not hold: whether it can be reserved, nothing about other tenants. */
export interface PublicNumberView {
  readonly number: string;
  readonly kind: NumberKind;
  readonly tier: VanityTier;
  readonly operatorCode: string;
  readonly state: 'available' | 'unavailable';
}

const iso = (d: Date): string => d.toISOString();

export function toNumberView(number: NumberRecord): NumberView {
  const l = number.lifecycle;
  return {
    id: number.id,
    number: number.value,
    kind: number.kind,
    tier: number.tier,
    operatorCode: number.operatorCode,
    contractId: number.contractId,
    blockId: number.blockId,
    poolId: number.poolId,
    state: l.state,
    version: number.version,
    updatedAt: iso(number.updatedAt),
    reservation:
      l.state === 'reserved'
        ? {
            reservationId: l.reservation.id,
            tenantId: l.reservation.tenantId,
            tenantPoolId: l.reservation.tenantPoolId,
            reservedAt: iso(l.reservation.reservedAt),
            expiresAt: iso(l.reservation.expiresAt),
          }
        : null,
    lease:
      l.state === 'assigned'
        ? {
            leaseId: l.lease.id,
            tenantId: l.lease.tenantId,
            tenantPoolId: l.lease.tenantPoolId,
            uses: l.lease.uses,
            startsAt: iso(l.lease.startsAt),
            endsAt: iso(l.lease.endsAt),
            autoRenew: l.lease.autoRenew,
          }
        : null,
    quarantine:
      l.state === 'quarantined'
        ? { reason: l.quarantine.reason, startedAt: iso(l.quarantine.startedAt), endsAt: iso(l.quarantine.endsAt) }
        : null,
    recall:
      l.state === 'recalled'
        ? {
            reason: l.recall.reason,
            recalledAt: iso(l.recall.recalledAt),
            tenantId: l.recall.tenantId,
            recalledFrom: l.recall.lease === null ? 'reserved' : 'assigned',
          }
        : null,
    retirement: l.state === 'retired' ? { reason: l.retirement.reason, retiredAt: iso(l.retirement.retiredAt) } : null,
  };
}

export const toPublicNumberView = (number: NumberRecord): PublicNumberView => ({
  number: number.value,
  kind: number.kind,
  tier: number.tier,
  operatorCode: number.operatorCode,
  state: number.lifecycle.state === 'available' ? 'available' : 'unavailable',
});
