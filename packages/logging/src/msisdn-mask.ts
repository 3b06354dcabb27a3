/**
 * MSISDN masking rule (applied to every string value of every log line, the message included):
 *
 * A candidate is an optional `+`, then 8 to 15 digits, where single spaces or dashes may separate
 * digits (`+93701234567`, `93701234567`, `+93 70 123 4567`, `0093-70-123-4567`). It is replaced by
 * the `+` if there was one, one `*` per hidden digit and the last 3 digits, separators dropped:
 * `+93 70 123 4567` → `+********567`.
 *
 * A number right after a URL-encoded plus (`%2B93701234567`) is a candidate too.
 *
 * A digit run is left alone when it is evidently something else:
 * - it is part of a longer token: a letter, digit or `_` touches it, or it is joined to one by
 *   `-` or `.` (UUIDs such as `01890a5d-…-446655440000`, hex ids, `v1.2.12345678`);
 * - it continues with `.` or `:` then a digit (decimals such as `12345678.90`, clock times);
 * - it has more than 15 digits (card numbers and long ids are not phone numbers);
 * - it is a date written `YYYY-MM-DD` (optionally followed by ` HH`), as in
 *   `2024-01-15 10:30:00`; ISO timestamps (`2024-01-15T10:30:00Z`) are already excluded above.
 * Anything else of that shape is masked even if it is not a phone number (e.g. a 10-digit SMSC
 * message id): for privacy the rule errs on the side of masking.
 */
const CANDIDATE =
  /(?:(?<=%2[Bb])|(?<![\p{L}\p{N}_+])(?<![\p{L}\p{N}][-.]))\+?\d(?:[ -]?\d){7,14}(?![\p{L}\p{N}_])(?![-.][\p{L}\p{N}])(?![.:]\d)/gu;

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(?: \d{2})?$/;

const KEPT_DIGITS = 3;

/** Masks every MSISDN-like number in `value` to its last 3 digits (rule above). */
export function maskMsisdn(value: string): string {
  if (!/\d{2}/.test(value)) return value;
  return value.replace(CANDIDATE, (candidate) => {
    if (DATE_LIKE.test(candidate)) return candidate;
    const digits = candidate.replace(/\D/g, '');
    const plus = candidate.startsWith('+') ? '+' : '';
    return `${plus}${'*'.repeat(digits.length - KEPT_DIGITS)}${digits.slice(-KEPT_DIGITS)}`;
  });
}
