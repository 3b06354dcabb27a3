import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from './numbering-errors.js';
import type { NumberingError } from './numbering-errors.js';
import { DAY_MS, quarantineEndsAt } from './numbering-policy.js';
import type { NumberingPolicy, QuarantineReason } from './numbering-policy.js';
import { eventRefOf } from './number-events.js';
import type { NumberDomainEvent } from './number-events.js';
import type {
  Lease,
  MessageUse,
  NumberLifecycle,
  NumberRecord,
  NumberState,
  RecallReason,
  RetirementReason,
} from './number.js';

export const NUMBER_ACTIONS = [
  'reserve',
  'assign',
  'renew',
  'release',
  'expire',
  'recall',
  'reinstate',
  'quarantine',
  'end_quarantine',
  'retire',
] as const;
export type NumberAction = (typeof NUMBER_ACTIONS)[number];

/**
 * The one state machine of a number, as data: `NUMBER_TRANSITIONS[state][action]` is the next state, and
 * a missing entry is an invalid transition. Guards (holder, TTL, cool-off) are checked in {@link applyNumberCommand}.
 */
export const NUMBER_TRANSITIONS: Readonly<Record<NumberState, Readonly<Partial<Record<NumberAction, NumberState>>>>> =
  Object.freeze({
    available: { reserve: 'reserved', retire: 'retired' },
    reserved: { assign: 'assigned', release: 'quarantined', expire: 'quarantined', recall: 'recalled' },
    assigned: { renew: 'assigned', release: 'quarantined', expire: 'quarantined', recall: 'recalled' },
    quarantined: { end_quarantine: 'available', retire: 'retired' },
    recalled: { reinstate: 'assigned', quarantine: 'quarantined', retire: 'retired' },
    retired: {},
  });

/** Quarantine reasons a compliance officer may choose when resolving a recall. */
export type RecallQuarantineReason = Extract<QuarantineReason, 'compliance_recall' | 'released'>;

export type NumberCommand =
  | {
      readonly action: 'reserve';
      readonly reservationId: string;
      readonly tenantId: string;
      readonly tenantPoolId: string;
      readonly ttlSeconds: number;
    }
  | {
      readonly action: 'assign';
      readonly leaseId: string;
      readonly tenantId: string;
      readonly uses: readonly MessageUse[];
      readonly termDays: number;
      readonly autoRenew: boolean;
    }
  | { readonly action: 'renew'; readonly tenantId: string; readonly termDays: number }
  | { readonly action: 'release'; readonly tenantId: string }
  | { readonly action: 'expire' }
  | { readonly action: 'recall'; readonly reason: RecallReason }
  | { readonly action: 'reinstate' }
  | { readonly action: 'quarantine'; readonly reason: RecallQuarantineReason }
  | { readonly action: 'end_quarantine' }
  | { readonly action: 'retire'; readonly reason: RetirementReason };

export interface TransitionContext {
  readonly now: Date;
  readonly policy: NumberingPolicy;
}

/** A successful state change: the number to write (version + 1) and the events it produces. */
export interface NumberTransition {
  readonly before: NumberRecord;
  readonly after: NumberRecord;
  readonly events: readonly NumberDomainEvent[];
}

/** True when the table allows `action` in `state` (guards aside). */
export const isActionAllowed = (state: NumberState, action: NumberAction): boolean =>
  NUMBER_TRANSITIONS[state][action] !== undefined;

/**
 * The refusal for an action the table does not allow in `state`, or null when it does. A refused
 * reservation answers NUMBER_NOT_AVAILABLE (what a client asking for a number needs to hear); every other
 * refused action answers INVALID_TRANSITION.
 */
export function refusalFor(state: NumberState, action: NumberAction): NumberingError | null {
  if (isActionAllowed(state, action)) return null;
  return action === 'reserve'
    ? numberingError('NUMBERING.NUMBER_NOT_AVAILABLE', `the number is ${state}, not available`, { state })
    : numberingError('NUMBERING.INVALID_TRANSITION', `${action} is not allowed on a ${state} number`, { state, action });
}

const iso = (date: Date): string => date.toISOString();
const notHolder = (): NumberingError =>
  numberingError('NUMBERING.NOT_HOLDER', 'the number is not reserved or leased by this tenant');

/**
 * Applies one command to a number. Pure: the caller supplies `now`, the policy and the new ids (in the
 * command). Returns the next version of the number and its events, or the business reason it is refused.
 */
export function applyNumberCommand(
  number: NumberRecord,
  command: NumberCommand,
  context: TransitionContext,
): Result<NumberTransition, NumberingError> {
  const refusal = refusalFor(number.lifecycle.state, command.action);
  if (refusal !== null) return err(refusal);
  const next = nextLifecycle(number, command, context);
  if (!next.ok) return next;
  const after: NumberRecord = { ...number, version: number.version + 1, updatedAt: context.now, lifecycle: next.value };
  return ok({ before: number, after, events: eventsFor(number, after, command, context.now) });
}

function nextLifecycle(
  number: NumberRecord,
  command: NumberCommand,
  { now, policy }: TransitionContext,
): Result<NumberLifecycle, NumberingError> {
  const current = number.lifecycle;
  const at = now.getTime();
  const quarantine = (reason: QuarantineReason, previousTenantId: string | null): NumberLifecycle => ({
    state: 'quarantined',
    quarantine: { reason, startedAt: now, endsAt: quarantineEndsAt(policy, reason, now), previousTenantId },
  });

  switch (command.action) {
    case 'reserve':
      return ok({
        state: 'reserved',
        reservation: {
          id: command.reservationId,
          tenantId: command.tenantId,
          tenantPoolId: command.tenantPoolId,
          reservedAt: now,
          expiresAt: new Date(at + command.ttlSeconds * 1000),
        },
      });
    case 'assign': {
      if (current.state !== 'reserved') break;
      const { reservation } = current;
      if (reservation.tenantId !== command.tenantId) return err(notHolder());
      if (at >= reservation.expiresAt.getTime())
        return err(numberingError('NUMBERING.RESERVATION_EXPIRED', 'the reservation expired before the assignment'));
      const lease: Lease = {
        id: command.leaseId,
        reservationId: reservation.id,
        tenantId: reservation.tenantId,
        tenantPoolId: reservation.tenantPoolId,
        uses: command.uses,
        startsAt: now,
        endsAt: new Date(at + command.termDays * DAY_MS),
        autoRenew: command.autoRenew,
      };
      return ok({ state: 'assigned', lease });
    }
    case 'renew': {
      if (current.state !== 'assigned') break;
      const { lease } = current;
      if (lease.tenantId !== command.tenantId) return err(notHolder());
      if (at >= lease.endsAt.getTime()) return err(numberingError('NUMBERING.LEASE_ENDED', 'the lease term has already ended'));
      return ok({ state: 'assigned', lease: { ...lease, endsAt: new Date(lease.endsAt.getTime() + command.termDays * DAY_MS) } });
    }
    case 'release': {
      if (current.state === 'reserved') {
        if (current.reservation.tenantId !== command.tenantId) return err(notHolder());
        return ok(quarantine('reservation_cancelled', command.tenantId));
      }
      if (current.state !== 'assigned') break;
      if (current.lease.tenantId !== command.tenantId) return err(notHolder());
      return ok(quarantine('released', command.tenantId));
    }
    case 'expire': {
      if (current.state === 'reserved') {
        if (at < current.reservation.expiresAt.getTime())
          return err(numberingError('NUMBERING.RESERVATION_NOT_EXPIRED', 'the reservation TTL has not passed yet'));
        return ok(quarantine('reservation_expired', current.reservation.tenantId));
      }
      if (current.state !== 'assigned') break;
      if (at < current.lease.endsAt.getTime())
        return err(numberingError('NUMBERING.LEASE_NOT_ENDED', 'the lease term has not ended yet'));
      return ok(quarantine('released', current.lease.tenantId));
    }
    case 'recall': {
      if (current.state === 'reserved') {
        const { reservation } = current;
        return ok({
          state: 'recalled',
          recall: { reason: command.reason, recalledAt: now, tenantId: reservation.tenantId, reservation, lease: null },
        });
      }
      if (current.state !== 'assigned') break;
      const { lease } = current;
      return ok({
        state: 'recalled',
        recall: { reason: command.reason, recalledAt: now, tenantId: lease.tenantId, reservation: null, lease },
      });
    }
    case 'reinstate': {
      if (current.state !== 'recalled') break;
      const { lease } = current.recall;
      if (lease === null)
        return err(numberingError('NUMBERING.NOT_REINSTATABLE', 'a number recalled from a reservation cannot be reinstated'));
      if (at >= lease.endsAt.getTime())
        return err(numberingError('NUMBERING.LEASE_ENDED', 'the recalled lease term has ended; it cannot be reinstated'));
      return ok({ state: 'assigned', lease });
    }
    case 'quarantine':
      if (current.state !== 'recalled') break;
      return ok(quarantine(command.reason, current.recall.tenantId));
    case 'end_quarantine':
      if (current.state !== 'quarantined') break;
      if (at < current.quarantine.endsAt.getTime())
        return err(
          numberingError('NUMBERING.QUARANTINE_NOT_ENDED', 'the quarantine cool-off has not ended', {
            quarantineEndsAt: iso(current.quarantine.endsAt),
          }),
        );
      return ok({ state: 'available' });
    case 'retire':
      return ok({ state: 'retired', retirement: { reason: command.reason, retiredAt: now } });
  }
  // Reached only if NUMBER_TRANSITIONS allows an action this switch does not handle for the state.
  throw new Error(`transition table and handler disagree: ${command.action} on ${current.state}`);
}

function eventsFor(before: NumberRecord, after: NumberRecord, command: NumberCommand, now: Date): NumberDomainEvent[] {
  const ref = eventRefOf(after);
  const prior = before.lifecycle;
  const next = after.lifecycle;
  const events: NumberDomainEvent[] = [];

  if (next.state === 'reserved') {
    const r = next.reservation;
    events.push({
      type: 'numbering.number.reserved.v1',
      data: {
        ...ref,
        reservationId: r.id,
        tenantId: r.tenantId,
        tenantPoolId: r.tenantPoolId,
        reservedAt: iso(r.reservedAt),
        expiresAt: iso(r.expiresAt),
      },
    });
  }
  if (next.state === 'assigned' && prior.state === 'reserved') {
    const l = next.lease;
    events.push({
      type: 'numbering.lease.assigned.v1',
      data: {
        ...ref,
        leaseId: l.id,
        reservationId: l.reservationId,
        tenantId: l.tenantId,
        tenantPoolId: l.tenantPoolId,
        uses: l.uses,
        startsAt: iso(l.startsAt),
        endsAt: iso(l.endsAt),
        autoRenew: l.autoRenew,
      },
    });
  }
  if (next.state === 'assigned' && prior.state === 'assigned') {
    events.push({
      type: 'numbering.lease.renewed.v1',
      data: {
        ...ref,
        leaseId: next.lease.id,
        tenantId: next.lease.tenantId,
        previousEndsAt: iso(prior.lease.endsAt),
        endsAt: iso(next.lease.endsAt),
        renewedAt: iso(now),
      },
    });
  }
  if (next.state === 'assigned' && prior.state === 'recalled') {
    events.push({
      type: 'numbering.lease.reinstated.v1',
      data: {
        ...ref,
        leaseId: next.lease.id,
        tenantId: next.lease.tenantId,
        endsAt: iso(next.lease.endsAt),
        reinstatedAt: iso(now),
      },
    });
  }
  if (next.state === 'quarantined' && prior.state === 'reserved') {
    const r = prior.reservation;
    events.push(
      command.action === 'expire'
        ? {
            type: 'numbering.reservation.expired.v1',
            data: { ...ref, reservationId: r.id, tenantId: r.tenantId, expiresAt: iso(r.expiresAt), expiredAt: iso(now) },
          }
        : {
            type: 'numbering.reservation.cancelled.v1',
            data: { ...ref, reservationId: r.id, tenantId: r.tenantId, cancelledAt: iso(now) },
          },
    );
  }
  if (next.state === 'quarantined' && prior.state === 'assigned') {
    events.push({
      type: 'numbering.lease.released.v1',
      data: {
        ...ref,
        leaseId: prior.lease.id,
        tenantId: prior.lease.tenantId,
        reason: command.action === 'expire' ? 'lease_expired' : 'tenant_released',
        releasedAt: iso(now),
      },
    });
  }
  if (next.state === 'quarantined') {
    const q = next.quarantine;
    events.push({
      type: 'numbering.number.quarantined.v1',
      data: {
        ...ref,
        reason: q.reason,
        previousTenantId: q.previousTenantId,
        quarantinedAt: iso(q.startedAt),
        quarantineEndsAt: iso(q.endsAt),
      },
    });
  }
  if (next.state === 'recalled') {
    const c = next.recall;
    events.push({
      type: 'numbering.number.recalled.v1',
      data: {
        ...ref,
        tenantId: c.tenantId,
        recalledFrom: c.lease === null ? 'reserved' : 'assigned',
        reservationId: c.reservation?.id ?? null,
        leaseId: c.lease?.id ?? null,
        reason: c.reason,
        recalledAt: iso(c.recalledAt),
      },
    });
  }
  if (next.state === 'available') {
    events.push({ type: 'numbering.number.quarantine-ended.v1', data: { ...ref, endedAt: iso(now) } });
  }
  if (next.state === 'retired') {
    events.push({
      type: 'numbering.number.retired.v1',
      data: { ...ref, reason: next.retirement.reason, retiredAt: iso(next.retirement.retiredAt) },
    });
  }
  return events;
}
