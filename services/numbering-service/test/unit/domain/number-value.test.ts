import { describe, expect, it } from 'vitest';
import { maskNumber, parseCsvNumber, parseSender } from '../../../src/index.js';

describe('parseSender', () => {
  it('reads an E.164 MSISDN with its plus', () => {
    expect(parseSender('+93701234567')).toEqual({ ok: true, value: { kind: 'msisdn', value: '+93701234567' } });
  });

  it('reads a 3 to 6 digit short code', () => {
    expect([parseSender('404'), parseSender('123456')].map((r) => r.ok && r.value.kind)).toEqual(['short_code', 'short_code']);
  });

  it('trims surrounding whitespace', () => {
    expect(parseSender(' 4040 ')).toEqual({ ok: true, value: { kind: 'short_code', value: '4040' } });
  });

  it.each(['93701234567', '+0701234567', '+9370', '+9370123456789012', '0404', '40', 'ROSHAN', ''])(
    'refuses %j and names the field',
    (raw) => {
      expect(parseSender(raw, 'sender')).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT', details: { field: 'sender' } } });
    },
  );
});

describe('parseCsvNumber', () => {
  it('adds the plus to an MSISDN written as digits', () => {
    expect(parseCsvNumber('93701234567', 'msisdn')).toEqual({ ok: true, value: { kind: 'msisdn', value: '+93701234567' } });
  });

  it('keeps a short code as written', () => {
    expect(parseCsvNumber('4040', 'short_code')).toEqual({ ok: true, value: { kind: 'short_code', value: '4040' } });
  });

  it('refuses a number written with a plus', () => {
    expect(parseCsvNumber('+93701234567', 'msisdn').ok).toBe(false);
  });

  it('refuses an MSISDN too short for E.164', () => {
    expect(parseCsvNumber('9370', 'msisdn').ok).toBe(false);
  });

  it('refuses a short code longer than six digits', () => {
    expect(parseCsvNumber('1234567', 'short_code').ok).toBe(false);
  });
});

describe('maskNumber', () => {
  it('keeps only the last three digits of an MSISDN', () => {
    expect(maskNumber('+93701234567')).toBe('+********567');
  });

  it('masks a short code the same way', () => {
    expect(maskNumber('4040')).toBe('*040');
  });
});
