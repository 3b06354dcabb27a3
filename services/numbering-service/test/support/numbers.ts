import type { Lease, NumberLifecycle, NumberRecord, NumberState, Reservation } from '../../src/index.js';

export const NOW = new Date('2026-05-01T10:00:00.000Z');
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);
const HOUR = 3_600_000;
const DAY = 86_400_000;

export const reservation: Reservation = {
  id: 'reservation-1',
  tenantId: 'tenant-acme',
  tenantPoolId: 'pool-acme',
  reservedAt: at(-HOUR),
  expiresAt: at(HOUR),
};

export const lease: Lease = {
  id: 'lease-1',
  reservationId: 'reservation-1',
  tenantId: 'tenant-acme',
  tenantPoolId: 'pool-acme',
  uses: ['otp', 'transactional'],
  startsAt: at(-DAY),
  endsAt: at(30 * DAY),
  autoRenew: true,
};

/** The lifecycle used for each state in the table-driven tests; deadlines lie an hour to 30 days after NOW. */
export const lifecycleIn = (state: NumberState): NumberLifecycle => {
  switch (state) {
    case 'available':
      return { state };
    case 'reserved':
      return { state, reservation };
    case 'assigned':
      return { state, lease };
    case 'quarantined':
      return { state, quarantine: { reason: 'released', startedAt: at(-90 * DAY), endsAt: at(HOUR), previousTenantId: 'tenant-acme' } };
    case 'recalled':
      return {
        state,
        recall: { reason: 'compliance_violation', recalledAt: at(-HOUR), tenantId: 'tenant-acme', reservation: null, lease },
      };
    case 'retired':
      return { state, retirement: { reason: 'contract_ended', retiredAt: at(-HOUR) } };
  }
};

export const numberIn = (state: NumberState, lifecycle: NumberLifecycle = lifecycleIn(state)): NumberRecord => ({
  id: 'number-1',
  kind: 'msisdn',
  value: '+93701234567',
  operatorCode: 'ROSHAN',
  contractId: 'contract-1',
  blockId: 'block-1',
  poolId: 'pool-general',
  tier: 'standard',
  version: 7,
  createdAt: at(-365 * DAY),
  updatedAt: at(-HOUR),
  lifecycle,
});
