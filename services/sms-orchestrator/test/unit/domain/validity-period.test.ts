import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDITY_SECONDS, ValidityPeriod } from '../../../src/domain/validity-period.js';

const seconds = (raw: number | undefined): number | null => {
  const result = ValidityPeriod.parse(raw);
  return result.ok ? result.value.seconds : null;
};

describe('ValidityPeriod', () => {
  it('defaults to 24 hours when omitted', () => {
    expect(seconds(undefined)).toBe(DEFAULT_VALIDITY_SECONDS);
    expect(DEFAULT_VALIDITY_SECONDS).toBe(86_400);
  });

  it('accepts the minimum of 60 seconds', () => {
    expect(seconds(60)).toBe(60);
  });

  it('accepts the maximum of 72 hours', () => {
    expect(seconds(259_200)).toBe(259_200);
  });

  it('refuses 59 seconds', () => {
    expect(ValidityPeriod.parse(59)).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_VALIDITY_PERIOD', message: 'must be a whole number of seconds from 60 to 259200' },
    });
  });

  it('refuses one second over 72 hours', () => {
    expect(seconds(259_201)).toBeNull();
  });

  it('refuses a fraction of a second', () => {
    expect(seconds(60.5)).toBeNull();
  });

  it('refuses NaN', () => {
    expect(seconds(Number.NaN)).toBeNull();
  });

  it('computes the expiry from the acceptance time', () => {
    const result = ValidityPeriod.parse(3600);
    expect(result.ok && result.value.expiresAt(new Date('2026-04-18T10:00:00Z')).toISOString()).toBe('2026-04-18T11:00:00.000Z');
  });
});
