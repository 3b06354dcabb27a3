import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** `+`, a non-zero country-code digit, then 6 to 14 more digits: 7 to 15 digits in all (ITU-T E.164). */
const E164_SHAPE = /^\+[1-9][0-9]{6,14}$/;

/** The shape check alone, without metadata; for cheap pre-checks and schemas. */
export const hasE164Shape = (value: string): boolean => E164_SHAPE.test(value);

/**
 * True when `value` is written in strict E.164 form and libphonenumber's full ("max") metadata
 * recognises it as a valid number of its country. The "max" metadata checks each country's
 * number patterns, not only lengths (the default "min" metadata would accept +93 20 123 4567,
 * which matches no Afghan numbering range). Formatting characters, national prefixes
 * (`+930…`) and extensions are refused, because the API contract is E.164 and a normalised
 * number stored under a different spelling would defeat deduplication and audit.
 */
export function isStrictE164(value: string): boolean {
  if (!E164_SHAPE.test(value)) return false;
  // The shape already excludes formatting and extensions; the parsed number must spell the same.
  const parsed = parsePhoneNumberFromString(value);
  return parsed !== undefined && parsed.number === value && parsed.isValid();
}
