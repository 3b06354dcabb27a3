/**
 * A configuration value as stored and resolved. `null` is not a value: an absent override is
 * represented by the key being missing, so "clear" and "set to nothing" cannot be confused.
 */
export type ConfigValue = number | boolean | string | readonly string[];

/** True when `value` has one of the shapes a configuration value may take (type checks come from the key schema). */
export function isConfigValue(value: unknown): value is ConfigValue {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return true;
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Structural equality of two values (lists compare item by item, in order). */
export function sameValue(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => item === b[i]);
  }
  return Object.is(a, b);
}
