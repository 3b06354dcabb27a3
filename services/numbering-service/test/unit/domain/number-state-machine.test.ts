import { describe, expect, it } from 'vitest';
import {
  NUMBER_ACTIONS,
  NUMBER_STATES,
  NUMBER_TRANSITIONS,
  QUARANTINE_REASONS,
  applyNumberCommand,
  createNumberingPolicy,
  defaultNumberingPolicy,
} from '../../../src/index.js';
import type { NumberAction, NumberCommand, NumberState, QuarantineReason } from '../../../src/index.js';
import { NOW, lease, lifecycleIn, numberIn, reservation } from '../../support/numbers.js';

const DAY = 86_400_000;
const policy = defaultNumberingPolicy;
const FAR_FUTURE = new Date(NOW.getTime() + 400 * DAY);

const commandFor = (action: NumberAction): NumberCommand => {
  switch (action) {
    case 'reserve':
      return { action, reservationId: 'reservation-2', tenantId: 'tenant-acme', tenantPoolId: 'pool-acme', ttlSeconds: 3600 };
    case 'assign':
      return { action, leaseId: 'lease-2', tenantId: 'tenant-acme', uses: ['otp'], termDays: 365, autoRenew: true };
    case 'renew':
      return { action, tenantId: 'tenant-acme', termDays: 30 };
    case 'release':
      return { action, tenantId: 'tenant-acme' };
    case 'expire':
      return { action };
    case 'recall':
      return { action, reason: 'tenant_suspended' };
    case 'reinstate':
      return { action };
    case 'quarantine':
      return { action, reason: 'compliance_recall' };
    case 'end_quarantine':
      return { action };
    case 'retire':
      return { action, reason: 'administrative' };
  }
};

/** Deadline-driven actions are tried after every deadline has passed; all others at NOW. */
const nowFor = (action: NumberAction): Date => (action === 'expire' || action === 'end_quarantine' ? FAR_FUTURE : NOW);

/** The lifecycle as the issue and domain-model.md state it, written out independently of the code's table. */
const EXPECTED: Readonly<Record<string, { next: NumberState; events: readonly string[] }>> = {
  'available/reserve': { next: 'reserved', events: ['numbering.number.reserved.v1'] },
  'available/retire': { next: 'retired', events: ['numbering.number.retired.v1'] },
  'reserved/assign': { next: 'assigned', events: ['numbering.lease.assigned.v1'] },
  'reserved/release': { next: 'quarantined', events: ['numbering.reservation.cancelled.v1', 'numbering.number.quarantined.v1'] },
  'reserved/expire': { next: 'quarantined', events: ['numbering.reservation.expired.v1', 'numbering.number.quarantined.v1'] },
  'reserved/recall': { next: 'recalled', events: ['numbering.number.recalled.v1'] },
  'assigned/renew': { next: 'assigned', events: ['numbering.lease.renewed.v1'] },
  'assigned/release': { next: 'quarantined', events: ['numbering.lease.released.v1', 'numbering.number.quarantined.v1'] },
  'assigned/expire': { next: 'quarantined', events: ['numbering.lease.released.v1', 'numbering.number.quarantined.v1'] },
  'assigned/recall': { next: 'recalled', events: ['numbering.number.recalled.v1'] },
  'quarantined/end_quarantine': { next: 'available', events: ['numbering.number.quarantine-ended.v1'] },
  'quarantined/retire': { next: 'retired', events: ['numbering.number.retired.v1'] },
  'recalled/reinstate': { next: 'assigned', events: ['numbering.lease.reinstated.v1'] },
  'recalled/quarantine': { next: 'quarantined', events: ['numbering.number.quarantined.v1'] },
  'recalled/retire': { next: 'retired', events: ['numbering.number.retired.v1'] },
};

const pairs = NUMBER_STATES.flatMap((state) => NUMBER_ACTIONS.map((action) => ({ state, action })));
const valid = pairs.filter(({ state, action }) => `${state}/${action}` in EXPECTED);
const invalid = pairs.filter(({ state, action }) => !(`${state}/${action}` in EXPECTED));

describe('number state machine table', () => {
  it('holds exactly the transitions of the documented lifecycle', () => {
    const fromTable = Object.fromEntries(
      NUMBER_STATES.flatMap((state) =>
        Object.entries(NUMBER_TRANSITIONS[state]).map(([action, next]) => [`${state}/${action}`, next]),
      ),
    );

    expect(fromTable).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, v.next])));
  });

  it('covers all 60 state and action pairs between the valid and invalid tests', () => {
    expect(valid).toHaveLength(15);
    expect(invalid).toHaveLength(45);
  });
});

describe('valid transitions', () => {
  it.each(valid)('moves a $state number on $action to the next state with its events', ({ state, action }) => {
    const number = numberIn(state);

    const result = applyNumberCommand(number, commandFor(action), { now: nowFor(action), policy });

    if (!result.ok) throw new Error(`expected success, got ${result.error.code}`);
    const expected = EXPECTED[`${state}/${action}`];
    expect(result.value.after.lifecycle.state).toBe(expected?.next);
    expect(result.value.events.map((e) => e.type)).toEqual(expected?.events);
    expect(result.value.after.version).toBe(number.version + 1);
    expect(result.value.after.updatedAt).toEqual(nowFor(action));
    expect(result.value.events.every((e) => 'numberVersion' in e.data && e.data.numberVersion === number.version + 1)).toBe(true);
  });
});

describe('invalid transitions', () => {
  it.each(invalid)('refuses $action on a $state number', ({ state, action }) => {
    const result = applyNumberCommand(numberIn(state), commandFor(action), { now: nowFor(action), policy });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(action === 'reserve' ? 'NUMBERING.NUMBER_NOT_AVAILABLE' : 'NUMBERING.INVALID_TRANSITION');
    expect(result.error.details).toMatchObject({ state });
  });
});

describe('guards', () => {
  const apply = (state: NumberState, command: NumberCommand, now: Date = NOW, lifecycle = lifecycleIn(state)) =>
    applyNumberCommand(numberIn(state, lifecycle), command, { now, policy });
  const codeOf = (result: ReturnType<typeof apply>): string | null => (result.ok ? null : result.error.code);

  it('refuses to assign a reservation held by another tenant', () => {
    expect(codeOf(apply('reserved', { ...commandFor('assign'), tenantId: 'tenant-other' } as NumberCommand))).toBe('NUMBERING.NOT_HOLDER');
  });

  it('assigns a reservation one millisecond before its TTL ends', () => {
    expect(codeOf(apply('reserved', commandFor('assign'), new Date(reservation.expiresAt.getTime() - 1)))).toBeNull();
  });

  it('refuses to assign a reservation at the instant its TTL ends', () => {
    expect(codeOf(apply('reserved', commandFor('assign'), reservation.expiresAt))).toBe('NUMBERING.RESERVATION_EXPIRED');
  });

  it('starts the lease at assignment and ends it after the term', () => {
    const result = apply('reserved', commandFor('assign'));

    if (!result.ok || result.value.after.lifecycle.state !== 'assigned') throw new Error('expected an assignment');
    expect(result.value.after.lifecycle.lease).toMatchObject({
      id: 'lease-2',
      reservationId: reservation.id,
      tenantPoolId: reservation.tenantPoolId,
      startsAt: NOW,
      endsAt: new Date(NOW.getTime() + 365 * DAY),
    });
  });

  it('sets the reservation TTL from the command', () => {
    const result = apply('available', commandFor('reserve'));

    if (!result.ok || result.value.after.lifecycle.state !== 'reserved') throw new Error('expected a reservation');
    expect(result.value.after.lifecycle.reservation.expiresAt).toEqual(new Date(NOW.getTime() + 3_600_000));
  });

  it('refuses to renew a lease of another tenant', () => {
    expect(codeOf(apply('assigned', { action: 'renew', tenantId: 'tenant-other', termDays: 30 }))).toBe('NUMBERING.NOT_HOLDER');
  });

  it('refuses to renew a lease at the instant its term ends', () => {
    expect(codeOf(apply('assigned', commandFor('renew'), lease.endsAt))).toBe('NUMBERING.LEASE_ENDED');
  });

  it('extends a renewed lease from its current end, not from now', () => {
    const result = apply('assigned', commandFor('renew'));

    if (!result.ok || result.value.after.lifecycle.state !== 'assigned') throw new Error('expected a renewal');
    expect(result.value.after.lifecycle.lease.endsAt).toEqual(new Date(lease.endsAt.getTime() + 30 * DAY));
  });

  it('refuses to release a reservation of another tenant', () => {
    expect(codeOf(apply('reserved', { action: 'release', tenantId: 'tenant-other' }))).toBe('NUMBERING.NOT_HOLDER');
  });

  it('refuses to release a lease of another tenant', () => {
    expect(codeOf(apply('assigned', { action: 'release', tenantId: 'tenant-other' }))).toBe('NUMBERING.NOT_HOLDER');
  });

  it('refuses to expire a reservation before its TTL', () => {
    expect(codeOf(apply('reserved', commandFor('expire'), new Date(reservation.expiresAt.getTime() - 1)))).toBe(
      'NUMBERING.RESERVATION_NOT_EXPIRED',
    );
  });

  it('expires a reservation at the instant its TTL ends', () => {
    expect(codeOf(apply('reserved', commandFor('expire'), reservation.expiresAt))).toBeNull();
  });

  it('refuses to expire a lease before its term ends', () => {
    expect(codeOf(apply('assigned', commandFor('expire'), new Date(lease.endsAt.getTime() - 1)))).toBe('NUMBERING.LEASE_NOT_ENDED');
  });

  it('reports a lapsed lease as lease_expired and a given-back lease as tenant_released', () => {
    const lapsed = apply('assigned', commandFor('expire'), lease.endsAt);
    const given = apply('assigned', commandFor('release'));

    const reasons = [lapsed, given].map((r) => {
      const event = r.ok ? r.value.events.find((e) => e.type === 'numbering.lease.released.v1') : undefined;
      return event?.type === 'numbering.lease.released.v1' ? event.data.reason : null;
    });
    expect(reasons).toEqual(['lease_expired', 'tenant_released']);
  });

  it('keeps the lease of a number recalled from an assignment, for a later reinstatement', () => {
    const result = apply('assigned', commandFor('recall'));

    if (!result.ok || result.value.after.lifecycle.state !== 'recalled') throw new Error('expected a recall');
    expect(result.value.after.lifecycle.recall).toMatchObject({ tenantId: 'tenant-acme', lease, reservation: null, reason: 'tenant_suspended' });
  });

  it('keeps the reservation of a number recalled from a reservation', () => {
    const result = apply('reserved', commandFor('recall'));

    if (!result.ok || result.value.after.lifecycle.state !== 'recalled') throw new Error('expected a recall');
    expect(result.value.after.lifecycle.recall).toMatchObject({ reservation, lease: null });
  });

  it('refuses to reinstate a number recalled from a reservation', () => {
    const fromReservation = {
      state: 'recalled' as const,
      recall: { reason: 'tenant_suspended' as const, recalledAt: NOW, tenantId: 'tenant-acme', reservation, lease: null },
    };

    expect(codeOf(apply('recalled', commandFor('reinstate'), NOW, fromReservation))).toBe('NUMBERING.NOT_REINSTATABLE');
  });

  it('refuses to reinstate a recalled lease whose term has ended', () => {
    expect(codeOf(apply('recalled', commandFor('reinstate'), lease.endsAt))).toBe('NUMBERING.LEASE_ENDED');
  });

  it('gives the very same lease back on reinstatement', () => {
    const result = apply('recalled', commandFor('reinstate'));

    if (!result.ok || result.value.after.lifecycle.state !== 'assigned') throw new Error('expected a reinstatement');
    expect(result.value.after.lifecycle.lease).toEqual(lease);
  });
});

describe('quarantine cool-off', () => {
  const defaults: Readonly<Record<QuarantineReason, number>> = {
    released: 90,
    reservation_expired: 30,
    compliance_recall: 365,
    reservation_cancelled: 0,
  };

  it('defaults to 90 / 30 / 365 / 0 days by reason', () => {
    expect(defaultNumberingPolicy.coolOffDays).toEqual(defaults);
  });

  const entering: readonly { reason: QuarantineReason; state: NumberState; command: NumberCommand; now: Date }[] = [
    { reason: 'released', state: 'assigned', command: commandFor('release'), now: NOW },
    { reason: 'reservation_expired', state: 'reserved', command: commandFor('expire'), now: reservation.expiresAt },
    { reason: 'compliance_recall', state: 'recalled', command: { action: 'quarantine', reason: 'compliance_recall' }, now: NOW },
    { reason: 'reservation_cancelled', state: 'reserved', command: commandFor('release'), now: NOW },
  ];

  it('enters quarantine with each reason the way the lifecycle says', () => {
    expect(entering.map((e) => e.reason).sort()).toEqual([...QUARANTINE_REASONS].sort());
  });

  describe.each(entering)('after entering with reason $reason', ({ reason, state, command, now }) => {
    const entered = applyNumberCommand(numberIn(state), command, { now, policy });
    if (!entered.ok) throw new Error(`arrange: ${entered.error.code}`);
    const quarantined = entered.value.after;
    const endsAt = new Date(now.getTime() + defaults[reason] * DAY);

    it('records the reason and the cool-off end', () => {
      expect(quarantined.lifecycle).toMatchObject({ state: 'quarantined', quarantine: { reason, startedAt: now, endsAt } });
    });

    it('keeps the number in quarantine one millisecond before the cool-off ends', () => {
      const early = applyNumberCommand(quarantined, { action: 'end_quarantine' }, { now: new Date(endsAt.getTime() - 1), policy });

      expect(early.ok ? null : early.error.code).toBe('NUMBERING.QUARANTINE_NOT_ENDED');
    });

    it('makes the number available at the instant the cool-off ends', () => {
      const onTime = applyNumberCommand(quarantined, { action: 'end_quarantine' }, { now: endsAt, policy });

      expect(onTime.ok && onTime.value.after.lifecycle.state).toBe('available');
    });
  });

  it('uses a configured cool-off instead of the default', () => {
    const custom = createNumberingPolicy({ coolOffDays: { released: 7 } });

    const result = applyNumberCommand(numberIn('assigned'), commandFor('release'), { now: NOW, policy: custom });

    expect(result.ok && result.value.after.lifecycle.state === 'quarantined' && result.value.after.lifecycle.quarantine.endsAt).toEqual(
      new Date(NOW.getTime() + 7 * DAY),
    );
  });

  it('quarantines a recall resolved as not the tenant’s fault for the release cool-off', () => {
    const result = applyNumberCommand(numberIn('recalled'), { action: 'quarantine', reason: 'released' }, { now: NOW, policy });

    expect(result.ok && result.value.after.lifecycle.state === 'quarantined' && result.value.after.lifecycle.quarantine).toMatchObject({
      reason: 'released',
      endsAt: new Date(NOW.getTime() + 90 * DAY),
      previousTenantId: 'tenant-acme',
    });
  });
});
