import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCsvNumber, parseSender } from '../../../src/domain/number-value.js';
import { createNumberingPolicy, defaultNumberingPolicy } from '../../../src/domain/numbering-policy.js';
import { fingerprintRequest } from '../../../src/domain/request-fingerprint.js';

// Behaviours the first mutation run (docs/mutation-testing.md) showed no domain spec pinned down.

describe('fingerprintRequest', () => {
  it('is the SHA-256 hex digest of the canonical JSON, whatever the key order', () => {
    const expected = createHash('sha256').update('{"a":1,"b":"x"}', 'utf8').digest('hex');
    expect(fingerprintRequest({ b: 'x', a: 1 })).toBe(expected);
    expect(fingerprintRequest({ a: 1, b: 'x' })).toBe(expected);
  });

  it('tells different requests apart', () => {
    expect(fingerprintRequest({ a: 1 })).not.toBe(fingerprintRequest({ a: 2 }));
  });

  it('refuses a request that has no JSON form', () => {
    expect(() => fingerprintRequest(undefined)).toThrow(new TypeError('request cannot be canonicalized'));
  });
});

describe('parseSender', () => {
  it('names the field "number" unless told otherwise', () => {
    const parsed = parseSender('hello');
    expect(!parsed.ok && parsed.error).toMatchObject({
      code: 'NUMBERING.INVALID_ARGUMENT',
      message: 'number must be an E.164 MSISDN with its leading + (e.g. +93701234567) or a 3–6 digit short code',
      details: { field: 'number' },
    });
  });

  it('refuses an MSISDN with text before its +', () => {
    expect(parseSender('x+93701234567').ok).toBe(false);
  });
});

describe('parseCsvNumber', () => {
  it.each([
    ['a number with a +', '+93701234567', 'msisdn', 'number must be digits only (write an MSISDN without its leading +)'],
    ['a number with a letter at the end', '93701234567x', 'msisdn', 'number must be digits only (write an MSISDN without its leading +)'],
    ['a number with a letter at the start', 'x93701234567', 'msisdn', 'number must be digits only (write an MSISDN without its leading +)'],
    ['a short MSISDN', '9370123', 'msisdn', 'MSISDN must be 8–15 digits with the country code first, not starting with 0'],
    ['a long short code', '4040404', 'short_code', 'short code must be 3–6 digits, not starting with 0'],
  ] as const)('refuses %s, saying why', (_label, digits, kind, reason) => {
    expect(parseCsvNumber(digits, kind)).toEqual({ ok: false, error: reason });
  });
});

describe('numbering policy limits', () => {
  it('accepts a range whose default equals its minimum or its maximum', () => {
    expect(createNumberingPolicy({ reservationTtlSeconds: { min: 60, default: 60, max: 120 } }).reservationTtlSeconds.default).toBe(60);
    expect(createNumberingPolicy({ leaseTermDays: { min: 1, default: 10, max: 10 } }).leaseTermDays.default).toBe(10);
  });

  it('refuses a default above the maximum, naming the setting', () => {
    expect(() => createNumberingPolicy({ reservationTtlSeconds: { min: 60, default: 200, max: 120 } })).toThrow(
      'reservationTtlSeconds must satisfy min ≤ default ≤ max',
    );
    expect(() => createNumberingPolicy({ reservationTtlSeconds: { min: 0 } })).toThrow('reservationTtlSeconds.min must be an integer ≥ 1');
  });

  it('accepts import limits of one byte and one row', () => {
    expect(createNumberingPolicy({ importLimits: { maxBytes: 1, maxRows: 1 } }).importLimits).toEqual({ maxBytes: 1, maxRows: 1 });
  });

  it('limits an operator import to 20 MiB and 200,000 rows by default', () => {
    expect(defaultNumberingPolicy.importLimits).toEqual({ maxBytes: 20 * 1024 * 1024, maxRows: 200_000 });
  });
});
