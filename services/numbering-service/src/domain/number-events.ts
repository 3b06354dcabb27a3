import type { NumberRecord, MessageUse, RecallReason, RetirementReason } from './number.js';
import type { QuarantineReason } from './numbering-policy.js';
import type { NumberKind } from './number-value.js';
import type { AnomalyRule } from './tenant-anomaly.js';

/** Fields every number event carries: which number, and its version after the change (cache invalidation uses it). */
export interface NumberEventRef {
  readonly numberId: string;
  readonly number: string;
  readonly kind: NumberKind;
  readonly operatorCode: string;
  readonly numberVersion: number;
}

export interface NumberReservedData extends NumberEventRef {
  readonly reservationId: string;
  readonly tenantId: string;
  readonly tenantPoolId: string;
  readonly reservedAt: string;
  readonly expiresAt: string;
}

export interface ReservationCancelledData extends NumberEventRef {
  readonly reservationId: string;
  readonly tenantId: string;
  readonly cancelledAt: string;
}

export interface ReservationExpiredData extends NumberEventRef {
  readonly reservationId: string;
  readonly tenantId: string;
  readonly expiresAt: string;
  readonly expiredAt: string;
}

export interface LeaseAssignedData extends NumberEventRef {
  readonly leaseId: string;
  readonly reservationId: string;
  readonly tenantId: string;
  readonly tenantPoolId: string;
  readonly uses: readonly MessageUse[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly autoRenew: boolean;
}

export interface LeaseRenewedData extends NumberEventRef {
  readonly leaseId: string;
  readonly tenantId: string;
  readonly previousEndsAt: string;
  readonly endsAt: string;
  readonly renewedAt: string;
}

export interface LeaseReleasedData extends NumberEventRef {
  readonly leaseId: string;
  readonly tenantId: string;
  /** `tenant_released`: the tenant gave it back; `lease_expired`: the term ended unrenewed. */
  readonly reason: 'tenant_released' | 'lease_expired';
  readonly releasedAt: string;
}

export interface LeaseReinstatedData extends NumberEventRef {
  readonly leaseId: string;
  readonly tenantId: string;
  readonly endsAt: string;
  readonly reinstatedAt: string;
}

export interface NumberRecalledData extends NumberEventRef {
  readonly tenantId: string;
  readonly recalledFrom: 'reserved' | 'assigned';
  readonly reservationId: string | null;
  readonly leaseId: string | null;
  readonly reason: RecallReason;
  readonly recalledAt: string;
}

export interface NumberQuarantinedData extends NumberEventRef {
  readonly reason: QuarantineReason;
  readonly previousTenantId: string | null;
  readonly quarantinedAt: string;
  readonly quarantineEndsAt: string;
}

export interface NumberQuarantineEndedData extends NumberEventRef {
  readonly endedAt: string;
}

export interface NumberRetiredData extends NumberEventRef {
  readonly reason: RetirementReason;
  readonly retiredAt: string;
}

export interface ImportCompletedData {
  readonly importId: string;
  readonly operatorCode: string;
  readonly fileSha256: string;
  readonly rowCount: number;
  readonly msisdnCount: number;
  readonly shortCodeCount: number;
  readonly importedAt: string;
}

/** The events a state change of a number produces (published through the outbox). */
export type NumberDomainEvent =
  | { readonly type: 'numbering.number.reserved.v1'; readonly data: NumberReservedData }
  | { readonly type: 'numbering.reservation.cancelled.v1'; readonly data: ReservationCancelledData }
  | { readonly type: 'numbering.reservation.expired.v1'; readonly data: ReservationExpiredData }
  | { readonly type: 'numbering.lease.assigned.v1'; readonly data: LeaseAssignedData }
  | { readonly type: 'numbering.lease.renewed.v1'; readonly data: LeaseRenewedData }
  | { readonly type: 'numbering.lease.released.v1'; readonly data: LeaseReleasedData }
  | { readonly type: 'numbering.lease.reinstated.v1'; readonly data: LeaseReinstatedData }
  | { readonly type: 'numbering.number.recalled.v1'; readonly data: NumberRecalledData }
  | { readonly type: 'numbering.number.quarantined.v1'; readonly data: NumberQuarantinedData }
  | { readonly type: 'numbering.number.quarantine-ended.v1'; readonly data: NumberQuarantineEndedData }
  | { readonly type: 'numbering.number.retired.v1'; readonly data: NumberRetiredData };

export type ImportCompletedEvent = { readonly type: 'numbering.import.completed.v1'; readonly data: ImportCompletedData };

/** A tenant's reservation activity crossed an anomaly threshold (domain/tenant-anomaly.ts); for fraud intelligence. */
export interface AnomalyDetectedData {
  readonly tenantId: string;
  readonly rules: readonly AnomalyRule[];
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly reservations: number;
  readonly releases: number;
  readonly conflicts: number;
  readonly attempts: number;
  readonly conflictRate: number;
  readonly thresholds: {
    readonly windowSeconds: number;
    readonly churnCycles: number;
    readonly conflictRate: number;
    readonly minAttempts: number;
  };
}

export type AnomalyDetectedEvent = { readonly type: 'numbering.anomaly.detected.v1'; readonly data: AnomalyDetectedData };

export type NumberingDomainEvent = NumberDomainEvent | ImportCompletedEvent | AnomalyDetectedEvent;

export const NUMBERING_EVENT_TYPES = [
  'numbering.number.reserved.v1',
  'numbering.reservation.cancelled.v1',
  'numbering.reservation.expired.v1',
  'numbering.lease.assigned.v1',
  'numbering.lease.renewed.v1',
  'numbering.lease.released.v1',
  'numbering.lease.reinstated.v1',
  'numbering.number.recalled.v1',
  'numbering.number.quarantined.v1',
  'numbering.number.quarantine-ended.v1',
  'numbering.number.retired.v1',
  'numbering.import.completed.v1',
  'numbering.anomaly.detected.v1',
] as const satisfies readonly NumberingDomainEvent['type'][];

export const eventRefOf = (number: NumberRecord): NumberEventRef => ({
  numberId: number.id,
  number: number.value,
  kind: number.kind,
  operatorCode: number.operatorCode,
  numberVersion: number.version,
});
