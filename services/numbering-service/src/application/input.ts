import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import type { Range } from '../domain/numbering-policy.js';

const invalid = (field: string, message: string): NumberingError =>
  numberingError('NUMBERING.INVALID_ARGUMENT', message, { field });

/** A required identifier-like string: trimmed, 1–`max` characters. */
export function requireText(value: unknown, field: string, max = 128): Result<string, NumberingError> {
  if (typeof value !== 'string') return err(invalid(field, `${field} is required`));
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max) return err(invalid(field, `${field} must be 1–${max} characters`));
  return ok(trimmed);
}

/** An optional whole number within `range`; absent means `range.default`. */
export function integerInRange(value: unknown, field: string, range: Range): Result<number, NumberingError> {
  if (value === undefined || value === null) return ok(range.default);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max)
    return err(invalid(field, `${field} must be a whole number from ${range.min} to ${range.max}`));
  return ok(value);
}

/** One of the allowed string values. */
export function oneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: readonly T[],
  guard: (v: string) => v is T,
): Result<T, NumberingError> {
  return typeof value === 'string' && guard(value) ? ok(value) : err(invalid(field, `${field} must be one of ${allowed.join(', ')}`));
}

/** An ISO-8601 instant with a zone (`2026-05-01T00:00:00Z`); a calendar date that does not exist is refused. */
export function instant(value: unknown, field: string): Result<Date, NumberingError> {
  const match =
    typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value) : null;
  if (match === null) return err(invalid(field, `${field} must be an ISO-8601 instant with a zone`));
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day
    ? err(invalid(field, `${field} is not a real instant`))
    : ok(date);
}
