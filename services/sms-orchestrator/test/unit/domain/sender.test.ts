import { describe, expect, it } from 'vitest';
import { Sender } from '../../../src/domain/sender.js';

describe('Sender', () => {
  it('accepts an E.164 MSISDN', () => {
    const result = Sender.parse('+93701234567');
    expect(result.ok && { kind: result.value.kind, value: result.value.value }).toEqual({ kind: 'msisdn', value: '+93701234567' });
  });

  it('accepts a short code of three digits', () => {
    const result = Sender.parse('123');
    expect(result.ok && result.value.kind).toBe('short_code');
  });

  it('accepts a short code of six digits', () => {
    const result = Sender.parse('123456');
    expect(result.ok && result.value.kind).toBe('short_code');
  });

  it('refuses a short code of seven digits or with a leading zero, as the numbering inventory holds none', () => {
    for (const raw of ['1234567', '12345678', '0445']) {
      expect(Sender.parse(raw)).toEqual({
        ok: false,
        error: { code: 'ORCH.INVALID_SENDER', message: 'a short code has 3 to 6 digits and no leading zero; an MSISDN must be E.164 with a leading +' },
      });
    }
  });

  it('refuses a short code of two digits', () => {
    expect(Sender.parse('12')).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_SENDER', message: 'a short code has 3 to 6 digits and no leading zero; an MSISDN must be E.164 with a leading +' },
    });
  });

  it('refuses nine digits without a plus (neither a short code nor E.164)', () => {
    expect(Sender.parse('123456789').ok).toBe(false);
  });

  it('refuses an invalid MSISDN', () => {
    expect(Sender.parse('+93201234567')).toEqual({ ok: false, error: { code: 'ORCH.INVALID_SENDER', message: 'is not a valid E.164 MSISDN' } });
  });

  it('refuses a badly shaped MSISDN', () => {
    expect(Sender.parse('+93 70 123 4567').ok).toBe(false);
  });

  it('refuses an alphanumeric sender id', () => {
    expect(Sender.parse('ACMEBANK')).toEqual({
      ok: false,
      error: {
        code: 'ORCH.INVALID_SENDER',
        message: 'must be an E.164 MSISDN or a short code of 3 to 6 digits (alphanumeric senders are not supported)',
      },
    });
  });

  it('refuses an empty sender', () => {
    expect(Sender.parse('').ok).toBe(false);
  });
});
