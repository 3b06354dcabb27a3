import { describe, expect, it } from 'vitest';
import { evaluateLease, leaseSnapshotOf } from '../../../src/index.js';
import { NOW, lease, numberIn } from '../../support/numbers.js';

const snapshot = leaseSnapshotOf(numberIn('assigned'));
const ask = (overrides: Partial<{ tenantId: string; use: 'otp' | 'promotional'; now: Date }> = {}) => ({
  tenantId: 'tenant-acme',
  use: 'otp' as const,
  now: NOW,
  ...overrides,
});

describe('lease verdict', () => {
  it('accepts the lease holder for a permitted use during the term', () => {
    expect(evaluateLease(snapshot, ask())).toEqual({ valid: true, leaseId: lease.id, numberId: 'number-1', leaseEndsAt: lease.endsAt.toISOString() });
  });

  it('refuses a sender that is not in the inventory', () => {
    expect(evaluateLease(null, ask())).toEqual({ valid: false, reason: 'unknown_sender' });
  });

  it('refuses a sender that is only reserved', () => {
    expect(evaluateLease(leaseSnapshotOf(numberIn('reserved')), ask())).toEqual({ valid: false, reason: 'not_leased' });
  });

  it('refuses a recalled sender', () => {
    expect(evaluateLease(leaseSnapshotOf(numberIn('recalled')), ask())).toEqual({ valid: false, reason: 'not_leased' });
  });

  it('refuses another tenant', () => {
    expect(evaluateLease(snapshot, ask({ tenantId: 'tenant-other' }))).toEqual({ valid: false, reason: 'not_leased_to_tenant' });
  });

  it('refuses a use the lease does not permit', () => {
    expect(evaluateLease(snapshot, ask({ use: 'promotional' }))).toEqual({ valid: false, reason: 'use_not_permitted' });
  });

  it('refuses at the instant the term ends', () => {
    expect(evaluateLease(snapshot, ask({ now: lease.endsAt }))).toEqual({ valid: false, reason: 'lease_not_active' });
  });

  it('refuses before the term starts', () => {
    expect(evaluateLease(snapshot, ask({ now: new Date(lease.startsAt.getTime() - 1) }))).toEqual({ valid: false, reason: 'lease_not_active' });
  });
});
