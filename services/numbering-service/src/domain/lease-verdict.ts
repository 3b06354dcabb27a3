import type { MessageUse, NumberRecord } from './number.js';

/**
 * What ValidateLease needs to know about a sender, as stored in the lease cache: the current lease
 * (or `null` when the number is not leased) and the number's version, so a stale snapshot never
 * overwrites a newer one. Instants are ISO strings so the snapshot survives a JSON round trip.
 */
export interface LeaseSnapshot {
  readonly numberId: string;
  readonly sender: string;
  readonly numberVersion: number;
  readonly lease: {
    readonly leaseId: string;
    readonly tenantId: string;
    readonly uses: readonly MessageUse[];
    readonly startsAt: string;
    readonly endsAt: string;
  } | null;
}

export type LeaseRefusal =
  | 'unknown_sender'
  | 'not_leased'
  | 'not_leased_to_tenant'
  | 'lease_not_active'
  | 'use_not_permitted';

export type LeaseVerdict =
  | { readonly valid: true; readonly leaseId: string; readonly numberId: string; readonly leaseEndsAt: string }
  | { readonly valid: false; readonly reason: LeaseRefusal };

export function leaseSnapshotOf(number: NumberRecord): LeaseSnapshot {
  const lifecycle = number.lifecycle;
  return {
    numberId: number.id,
    sender: number.value,
    numberVersion: number.version,
    lease:
      lifecycle.state === 'assigned'
        ? {
            leaseId: lifecycle.lease.id,
            tenantId: lifecycle.lease.tenantId,
            uses: lifecycle.lease.uses,
            startsAt: lifecycle.lease.startsAt.toISOString(),
            endsAt: lifecycle.lease.endsAt.toISOString(),
          }
        : null,
  };
}

/** Is this sender leased to this tenant, at `now`, for this use? */
export function evaluateLease(
  snapshot: LeaseSnapshot | null,
  request: { readonly tenantId: string; readonly use: MessageUse; readonly now: Date },
): LeaseVerdict {
  if (snapshot === null) return { valid: false, reason: 'unknown_sender' };
  const { lease } = snapshot;
  if (lease === null) return { valid: false, reason: 'not_leased' };
  if (lease.tenantId !== request.tenantId) return { valid: false, reason: 'not_leased_to_tenant' };
  const at = request.now.getTime();
  if (at < Date.parse(lease.startsAt) || at >= Date.parse(lease.endsAt)) return { valid: false, reason: 'lease_not_active' };
  if (!lease.uses.includes(request.use)) return { valid: false, reason: 'use_not_permitted' };
  return { valid: true, leaseId: lease.leaseId, numberId: snapshot.numberId, leaseEndsAt: lease.endsAt };
}
