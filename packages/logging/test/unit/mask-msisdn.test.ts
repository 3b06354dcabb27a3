import { describe, expect, it } from 'vitest';
import { maskMsisdn } from '@sms/logging';

describe('maskMsisdn', () => {
  it('masks an E.164 number with + to its last 3 digits', () => {
    expect(maskMsisdn('+93701234567')).toBe('+********567');
  });

  it('masks an E.164 number without +', () => {
    expect(maskMsisdn('93701234567')).toBe('********567');
  });

  it('masks a number written with spaces, dropping the separators', () => {
    expect(maskMsisdn('+93 70 123 4567')).toBe('+********567');
  });

  it('masks a number written with dashes', () => {
    expect(maskMsisdn('0093-70-123-4567')).toBe('**********567');
  });

  it('masks every number inside a sentence and keeps the words', () => {
    expect(maskMsisdn('from +93701234567 to 93799876543, done')).toBe('from +********567 to ********543, done');
  });

  it('masks numbers in a comma-separated list', () => {
    expect(maskMsisdn('93701234567,93701234568')).toBe('********567,********568');
  });

  it('masks numbers inside URLs and query strings', () => {
    expect(maskMsisdn('/v1/numbers/93701234567?to=%2B93701234567')).toBe('/v1/numbers/********567?to=%2B********567');
  });

  it('masks the shortest (8 digits) and longest (15 digits) lengths', () => {
    expect(maskMsisdn('12345678 and 123456789012345')).toBe('*****678 and ************345');
  });

  it('leaves 7-digit and 16-digit runs alone', () => {
    expect(maskMsisdn('1234567 and 1234567890123456')).toBe('1234567 and 1234567890123456');
  });

  it('leaves ISO timestamps alone', () => {
    expect(maskMsisdn('2024-01-15T10:30:00.123Z')).toBe('2024-01-15T10:30:00.123Z');
  });

  it('leaves dates with a space-separated time alone', () => {
    expect(maskMsisdn('at 2024-01-15 10:30:00')).toBe('at 2024-01-15 10:30:00');
  });

  it('leaves UUIDs alone, even when a group is all digits', () => {
    const ids = '550e8400-e29b-41d4-a716-446655440000 12345678-9012-3456-7890-123456789012';

    expect(maskMsisdn(ids)).toBe(ids);
  });

  it('leaves decimals and digits that are part of a word alone', () => {
    expect(maskMsisdn('12345678.90 abc123456789 v2.12345678')).toBe('12345678.90 abc123456789 v2.12345678');
  });
});
