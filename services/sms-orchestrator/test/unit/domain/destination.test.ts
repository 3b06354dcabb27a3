import { describe, expect, it } from 'vitest';
import { Destination } from '../../../src/domain/destination.js';
import { hasE164Shape, isStrictE164 } from '../../../src/domain/e164.js';

describe('Destination', () => {
  it('accepts a valid Afghan mobile number in E.164', () => {
    const result = Destination.parse('+93791234567');
    expect(result.ok && result.value.e164).toBe('+93791234567');
  });

  it('accepts valid numbers of other countries', () => {
    for (const number of ['+14155552671', '+447911123456', '+4915123456789']) {
      expect(Destination.parse(number).ok, number).toBe(true);
    }
  });

  it('prints as its E.164 form', () => {
    const result = Destination.parse('+93791234567');
    expect(result.ok && String(result.value)).toBe('+93791234567');
  });

  it('refuses a number without the leading plus', () => {
    const result = Destination.parse('93791234567');
    expect(result).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_DESTINATION', message: 'must be an E.164 number: a leading + and 7 to 15 digits, no spaces or punctuation' },
    });
  });

  it('refuses spaces and punctuation even when the digits would be valid', () => {
    for (const number of ['+93 79 123 4567', '+1 (415) 555-2671', '+93-791234567']) {
      expect(Destination.parse(number).ok, number).toBe(false);
    }
  });

  it('refuses a national trunk prefix after the country code', () => {
    expect(Destination.parse('+930791234567').ok).toBe(false);
  });

  it('refuses an extension', () => {
    expect(Destination.parse('+93791234567x12').ok).toBe(false);
  });

  it('refuses more than 15 digits', () => {
    expect(Destination.parse('+9379123456789012').ok).toBe(false);
  });

  it('refuses a number one digit too short for its country', () => {
    expect(Destination.parse('+9379123456')).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_DESTINATION', message: 'is not a valid phone number for its country code' },
    });
  });

  it('refuses a number of the right length that matches no numbering range of its country (full metadata)', () => {
    expect(Destination.parse('+93201234567').ok).toBe(false);
  });

  it('refuses an unassigned country code', () => {
    expect(Destination.parse('+99912345678').ok).toBe(false);
  });

  it('refuses an empty string', () => {
    expect(Destination.parse('').ok).toBe(false);
  });
});

describe('E.164 helpers', () => {
  it('checks the shape alone without metadata', () => {
    expect(hasE164Shape('+93201234567')).toBe(true);
    expect(hasE164Shape('+0123456789')).toBe(false);
  });

  it('refuses a badly shaped number before consulting the metadata', () => {
    expect(isStrictE164('0791234567')).toBe(false);
  });

  it('checks the number against the metadata', () => {
    expect(isStrictE164('+93791234567')).toBe(true);
    expect(isStrictE164('+93201234567')).toBe(false);
  });
});
