import { describe, expect, it } from 'vitest';
import { createNumberingPolicy, defaultNumberingPolicy, quarantineEndsAt } from '../../../src/index.js';

describe('numbering policy', () => {
  it('is the default policy when nothing is overridden', () => {
    expect(createNumberingPolicy()).toEqual(defaultNumberingPolicy);
  });

  it('overrides one cool-off and keeps the others', () => {
    const policy = createNumberingPolicy({ coolOffDays: { compliance_recall: 730 } });

    expect(policy.coolOffDays).toEqual({ released: 90, reservation_expired: 30, compliance_recall: 730, reservation_cancelled: 0 });
  });

  it('refuses a negative cool-off', () => {
    expect(() => createNumberingPolicy({ coolOffDays: { released: -1 } })).toThrow(/coolOffDays.released/);
  });

  it('refuses a fractional cool-off', () => {
    expect(() => createNumberingPolicy({ coolOffDays: { released: 1.5 } })).toThrow(RangeError);
  });

  it('refuses a TTL default outside its bounds', () => {
    expect(() => createNumberingPolicy({ reservationTtlSeconds: { default: 10 } })).toThrow(/min ≤ default ≤ max/);
  });

  it('refuses a zero lease term', () => {
    expect(() => createNumberingPolicy({ leaseTermDays: { min: 0 } })).toThrow(/leaseTermDays.min/);
  });

  it('refuses a zero import size', () => {
    expect(() => createNumberingPolicy({ importLimits: { maxBytes: 0 } })).toThrow(/maxBytes/);
  });

  it('refuses a zero import row limit', () => {
    expect(() => createNumberingPolicy({ importLimits: { maxRows: 0 } })).toThrow(/maxRows/);
  });

  it('ends a quarantine whole UTC days after it starts', () => {
    expect(quarantineEndsAt(defaultNumberingPolicy, 'reservation_expired', new Date('2026-03-01T12:00:00Z'))).toEqual(
      new Date('2026-03-31T12:00:00Z'),
    );
  });
});
