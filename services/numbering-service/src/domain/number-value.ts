import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from './numbering-errors.js';
import type { NumberingError } from './numbering-errors.js';

export const NUMBER_KINDS = ['msisdn', 'short_code'] as const;
/** An MSISDN (a full E.164 mobile number) or a short code (a 3–6 digit national code). */
export type NumberKind = (typeof NUMBER_KINDS)[number];

/** E.164: a plus, a country code not starting with 0, at most 15 digits in all (at least 8 here). */
const E164 = /^\+[1-9][0-9]{7,14}$/;
/** National short codes: 3 to 6 digits, no leading zero. */
const SHORT_CODE = /^[1-9][0-9]{2,5}$/;

/** A number's canonical value: `+93701234567` for an MSISDN, `4040` for a short code. */
export interface NumberValue {
  readonly kind: NumberKind;
  readonly value: string;
}

export const isNumberKind = (value: string): value is NumberKind => (NUMBER_KINDS as readonly string[]).includes(value);

export const isE164 = (value: string): boolean => E164.test(value);
export const isShortCode = (value: string): boolean => SHORT_CODE.test(value);

/**
 * Reads a sender as the APIs receive it: an MSISDN always with its `+`, a short code as bare digits.
 * Bare digits longer than a short code are refused rather than guessed to be an MSISDN.
 */
export function parseSender(raw: string, field = 'number'): Result<NumberValue, NumberingError> {
  const value = raw.trim();
  if (isE164(value)) return ok({ kind: 'msisdn', value });
  if (isShortCode(value)) return ok({ kind: 'short_code', value });
  return err(
    numberingError(
      'NUMBERING.INVALID_ARGUMENT',
      `${field} must be an E.164 MSISDN with its leading + (e.g. +93701234567) or a 3–6 digit short code`,
      { field },
    ),
  );
}

/**
 * Reads the `number` column of an operator CSV: digits only, the MSISDN without its `+` (a leading `+`
 * would be a formula-injection cell in a spreadsheet), so the kind column decides how to read it.
 */
export function parseCsvNumber(digits: string, kind: NumberKind): Result<NumberValue, string> {
  if (!/^[0-9]+$/.test(digits)) return err('number must be digits only (write an MSISDN without its leading +)');
  if (kind === 'msisdn') {
    const value = `+${digits}`;
    return isE164(value) ? ok({ kind, value }) : err('MSISDN must be 8–15 digits with the country code first, not starting with 0');
  }
  return isShortCode(digits) ? ok({ kind, value: digits }) : err('short code must be 3–6 digits, not starting with 0');
}

/** The digits of a value, without the `+` of an MSISDN; block ranges compare on these. */
export const digitsOf = (value: string): string => (value.startsWith('+') ? value.slice(1) : value);

/** Masks all but the last three digits, for logs (full identifiers never appear in logs or traces). */
export function maskNumber(value: string): string {
  const digits = digitsOf(value);
  const keep = Math.min(3, digits.length);
  return `${value.startsWith('+') ? '+' : ''}${'*'.repeat(digits.length - keep)}${digits.slice(digits.length - keep)}`;
}
