import type { VanityTier } from './catalog.js';
import type { QuarantineReason } from './numbering-policy.js';
import type { NumberKind } from './number-value.js';

/**
 * The lifecycle states of a number (see docs/domain-model.md for the transition table).
 * `recalled` is a hold pending a compliance decision; `retired` is terminal (withdrawn from the inventory).
 */
export const NUMBER_STATES = ['available', 'reserved', 'assigned', 'quarantined', 'recalled', 'retired'] as const;
export type NumberState = (typeof NUMBER_STATES)[number];

/** What a sender may be used for; a lease names the uses it permits and ValidateLease checks them. */
export const MESSAGE_USES = ['transactional', 'promotional', 'otp', 'alert'] as const;
export type MessageUse = (typeof MESSAGE_USES)[number];
export const isMessageUse = (value: string): value is MessageUse => (MESSAGE_USES as readonly string[]).includes(value);

/** Why a number was taken back from its tenant. */
export const RECALL_REASONS = [
  'compliance_violation',
  'tenant_suspended',
  'tenant_deleted',
  'regulator_order',
  'operator_request',
] as const;
export type RecallReason = (typeof RECALL_REASONS)[number];
export const isRecallReason = (value: string): value is RecallReason => (RECALL_REASONS as readonly string[]).includes(value);

/** Why a number left the inventory for good. */
export const RETIREMENT_REASONS = ['contract_ended', 'operator_withdrawn', 'regulator_order', 'administrative'] as const;
export type RetirementReason = (typeof RETIREMENT_REASONS)[number];
export const isRetirementReason = (value: string): value is RetirementReason =>
  (RETIREMENT_REASONS as readonly string[]).includes(value);

/** A time-limited hold of a number by a tenant, before it is leased. */
export interface Reservation {
  readonly id: string;
  readonly tenantId: string;
  readonly tenantPoolId: string;
  readonly reservedAt: Date;
  /** The TTL: at and after this instant the reservation no longer counts. */
  readonly expiresAt: Date;
}

/** The right of a tenant to send from a number for the permitted uses, from `startsAt` until `endsAt`. */
export interface Lease {
  readonly id: string;
  readonly reservationId: string;
  readonly tenantId: string;
  readonly tenantPoolId: string;
  readonly uses: readonly MessageUse[];
  readonly startsAt: Date;
  /** Exclusive end of the current term; renewal moves it. */
  readonly endsAt: Date;
  readonly autoRenew: boolean;
}

export interface Quarantine {
  readonly reason: QuarantineReason;
  readonly startedAt: Date;
  /** The cool-off end: the number may return to `available` at or after this instant, never before. */
  readonly endsAt: Date;
  readonly previousTenantId: string | null;
}

export interface Recall {
  readonly reason: RecallReason;
  readonly recalledAt: Date;
  readonly tenantId: string;
  /** The reservation or the lease the number was recalled from (exactly one is set). */
  readonly reservation: Reservation | null;
  readonly lease: Lease | null;
}

export interface Retirement {
  readonly reason: RetirementReason;
  readonly retiredAt: Date;
}

export type NumberLifecycle =
  | { readonly state: 'available' }
  | { readonly state: 'reserved'; readonly reservation: Reservation }
  | { readonly state: 'assigned'; readonly lease: Lease }
  | { readonly state: 'quarantined'; readonly quarantine: Quarantine }
  | { readonly state: 'recalled'; readonly recall: Recall }
  | { readonly state: 'retired'; readonly retirement: Retirement };

/**
 * An MSISDN or short code of the inventory. `version` increases by one with every change; a write is
 * accepted only if the stored version still equals the one read (compare-and-swap).
 */
export interface NumberRecord {
  readonly id: string;
  readonly kind: NumberKind;
  /** Canonical value: `+93701234567` or `4040`. Unique in the inventory. */
  readonly value: string;
  readonly operatorCode: string;
  readonly contractId: string;
  readonly blockId: string;
  readonly poolId: string;
  readonly tier: VanityTier;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lifecycle: NumberLifecycle;
}

/** The tenant currently holding the number through a reservation or lease, if any. */
export function holderOf(number: NumberRecord): string | null {
  switch (number.lifecycle.state) {
    case 'reserved':
      return number.lifecycle.reservation.tenantId;
    case 'assigned':
      return number.lifecycle.lease.tenantId;
    case 'available':
    case 'quarantined':
    case 'recalled':
    case 'retired':
      return null;
  }
}

/** A number as it enters the inventory from an operator's signed file: available, version 1. */
export function newInventoryNumber(
  id: string,
  fields: Omit<NumberRecord, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'lifecycle'>,
  now: Date,
): NumberRecord {
  return { id, ...fields, version: 1, createdAt: now, updatedAt: now, lifecycle: { state: 'available' } };
}
