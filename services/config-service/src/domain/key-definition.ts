import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { configError } from './config-errors.js';
import type { ConfigError } from './config-errors.js';
import type { ConfigValue } from './config-value.js';

/** The value types a key can have. */
export const KEY_TYPES = ['integer', 'number', 'boolean', 'string', 'enum', 'duration', 'string-list'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/**
 * The schema of one key. `default` is the value resolution returns when no node on the way to
 * GLOBAL overrides the key; a key without a default resolves to nothing until someone sets it.
 * Durations are strings of one number and one unit (`250ms`, `30s`, `5m`, `2h`, `7d`); their
 * bounds are durations too. Patterns match the whole value (they are anchored).
 */
export type KeySchema =
  | { readonly type: 'integer'; readonly minimum?: number; readonly maximum?: number; readonly default?: number }
  | { readonly type: 'number'; readonly minimum?: number; readonly maximum?: number; readonly default?: number }
  | { readonly type: 'boolean'; readonly default?: boolean }
  | {
      readonly type: 'string';
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly pattern?: string;
      readonly default?: string;
    }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly default?: string }
  | { readonly type: 'duration'; readonly minimum?: string; readonly maximum?: string; readonly default?: string }
  | {
      readonly type: 'string-list';
      readonly minItems?: number;
      readonly maxItems?: number;
      readonly itemPattern?: string;
      readonly uniqueItems?: boolean;
      readonly default?: readonly string[];
    };

/** A defined key: its schema plus what the catalogue says about it. */
export interface KeyDefinition {
  /** Dotted lower-case name, e.g. `sms.max_parts_per_message`. */
  readonly key: string;
  readonly schema: KeySchema;
  readonly description: string;
  /** Sensitive values are redacted in events, history and resolution for callers without `sensitive.read`. */
  readonly sensitive: boolean;
  /** The service that reads this key; a `service` subject may resolve only the keys it owns. */
  readonly ownerService: string | null;
  /** Deprecated keys keep resolving, and their overrides may be cleared, but no new value may be set. */
  readonly deprecated: boolean;
  readonly version: number;
  readonly definedAt: string;
  readonly updatedAt: string;
}

/** Rules a value (or a schema) can break; named in `details.rule` of CONFIG.VALUE_REJECTED. */
export type ValueRule =
  | 'type'
  | 'integer'
  | 'finite'
  | 'minimum'
  | 'maximum'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'enum'
  | 'format'
  | 'minItems'
  | 'maxItems'
  | 'itemPattern'
  | 'uniqueItems';

/** Ceilings that apply to every key so that no value can grow without bound. */
export const MAX_STRING_LENGTH = 4096;
export const MAX_LIST_ITEMS = 256;

const KEY_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const SERVICE_NAME = /^[a-z][a-z0-9-]{1,62}$/;
const DURATION = /^([0-9]{1,12})(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const isKeyName = (value: string): boolean => value.length <= 128 && KEY_NAME.test(value);
export const isServiceName = (value: string): boolean => SERVICE_NAME.test(value);

/** Milliseconds of a duration string (`30s` → 30000), or null when it is not one. */
export function parseDurationMs(value: string): number | null {
  const match = DURATION.exec(value);
  if (match === null) return null;
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
}

const anchored = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`, 'u');

function rejected(key: string, rule: ValueRule, message: string): Result<never, ConfigError> {
  return err(configError('CONFIG.VALUE_REJECTED', `value of ${key} breaks rule ${rule}: ${message}`, { key, rule }));
}

function checkNumber(key: string, value: unknown, schema: { minimum?: number; maximum?: number }, integer: boolean) {
  if (typeof value !== 'number') return rejected(key, 'type', `expected ${integer ? 'an integer' : 'a number'}`);
  if (!Number.isFinite(value)) return rejected(key, 'finite', 'must be a finite number');
  if (integer && !Number.isSafeInteger(value)) return rejected(key, 'integer', 'must be a whole number');
  if (schema.minimum !== undefined && value < schema.minimum) return rejected(key, 'minimum', `must be ≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) return rejected(key, 'maximum', `must be ≤ ${schema.maximum}`);
  return ok(value);
}

/** Checks `value` against the key's schema; the error names the key and the rule broken. */
export function validateValue(key: string, schema: KeySchema, value: unknown): Result<ConfigValue, ConfigError> {
  switch (schema.type) {
    case 'integer':
      return checkNumber(key, value, schema, true);
    case 'number':
      return checkNumber(key, value, schema, false);
    case 'boolean':
      return typeof value === 'boolean' ? ok(value) : rejected(key, 'type', 'expected a boolean');
    case 'string': {
      if (typeof value !== 'string') return rejected(key, 'type', 'expected a string');
      const max = Math.min(schema.maxLength ?? MAX_STRING_LENGTH, MAX_STRING_LENGTH);
      if (schema.minLength !== undefined && value.length < schema.minLength) {
        return rejected(key, 'minLength', `must have at least ${schema.minLength} characters`);
      }
      if (value.length > max) return rejected(key, 'maxLength', `must have at most ${max} characters`);
      if (schema.pattern !== undefined && !anchored(schema.pattern).test(value)) {
        return rejected(key, 'pattern', `must match ${schema.pattern}`);
      }
      return ok(value);
    }
    case 'enum':
      if (typeof value !== 'string') return rejected(key, 'type', 'expected a string');
      return schema.values.includes(value) ? ok(value) : rejected(key, 'enum', `must be one of ${schema.values.join(', ')}`);
    case 'duration': {
      if (typeof value !== 'string') return rejected(key, 'type', 'expected a duration string such as 30s');
      const ms = parseDurationMs(value);
      if (ms === null) return rejected(key, 'format', 'expected a number and one unit of ms, s, m, h, d (e.g. 30s)');
      if (schema.minimum !== undefined && ms < (parseDurationMs(schema.minimum) ?? 0)) {
        return rejected(key, 'minimum', `must be at least ${schema.minimum}`);
      }
      if (schema.maximum !== undefined && ms > (parseDurationMs(schema.maximum) ?? Number.POSITIVE_INFINITY)) {
        return rejected(key, 'maximum', `must be at most ${schema.maximum}`);
      }
      return ok(value);
    }
    case 'string-list': {
      if (!Array.isArray(value)) return rejected(key, 'type', 'expected a list of strings');
      const items: unknown[] = value;
      if (!items.every((item): item is string => typeof item === 'string')) {
        return rejected(key, 'type', 'every item must be a string');
      }
      const max = Math.min(schema.maxItems ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
      if (schema.minItems !== undefined && items.length < schema.minItems) {
        return rejected(key, 'minItems', `must have at least ${schema.minItems} items`);
      }
      if (items.length > max) return rejected(key, 'maxItems', `must have at most ${max} items`);
      if (items.some((item) => item.length > MAX_STRING_LENGTH)) {
        return rejected(key, 'maxLength', `items must have at most ${MAX_STRING_LENGTH} characters`);
      }
      if (schema.itemPattern !== undefined) {
        const re = anchored(schema.itemPattern);
        if (!items.every((item) => re.test(item))) return rejected(key, 'itemPattern', `every item must match ${schema.itemPattern}`);
      }
      if (schema.uniqueItems === true && new Set(items).size !== items.length) {
        return rejected(key, 'uniqueItems', 'items must not repeat');
      }
      return ok([...items]);
    }
  }
}

function schemaProblem(key: string, rule: string, message: string): Result<never, ConfigError> {
  return err(configError('CONFIG.INVALID_KEY_SCHEMA', `schema of ${key}: ${message}`, { key, rule }));
}

const compiles = (pattern: string): boolean => {
  try {
    anchored(pattern);
    return true;
  } catch {
    return false;
  }
};

const isCount = (n: number | undefined): boolean => n === undefined || (Number.isSafeInteger(n) && n >= 0);

/** Checks a schema is consistent (bounds in order, a valid default, patterns that compile, …). */
export function validateKeySchema(key: string, schema: KeySchema): Result<KeySchema, ConfigError> {
  if (!(KEY_TYPES as readonly string[]).includes(schema.type)) {
    return schemaProblem(key, 'type', `type must be one of ${KEY_TYPES.join(', ')}`);
  }
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const { minimum, maximum } = schema;
      for (const bound of [minimum, maximum]) {
        if (bound !== undefined && !Number.isFinite(bound)) return schemaProblem(key, 'bounds', 'bounds must be finite numbers');
        if (bound !== undefined && schema.type === 'integer' && !Number.isSafeInteger(bound)) {
          return schemaProblem(key, 'bounds', 'bounds of an integer key must be whole numbers');
        }
      }
      if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
        return schemaProblem(key, 'bounds', 'minimum is greater than maximum');
      }
      break;
    }
    case 'boolean':
      break;
    case 'string':
      if (!isCount(schema.minLength) || !isCount(schema.maxLength)) {
        return schemaProblem(key, 'bounds', 'length bounds must be whole numbers ≥ 0');
      }
      if (schema.minLength !== undefined && schema.maxLength !== undefined && schema.minLength > schema.maxLength) {
        return schemaProblem(key, 'bounds', 'minLength is greater than maxLength');
      }
      if (schema.pattern !== undefined && !compiles(schema.pattern)) return schemaProblem(key, 'pattern', 'pattern does not compile');
      break;
    case 'enum':
      if (schema.values.length === 0) return schemaProblem(key, 'enum', 'an enum needs at least one value');
      if (new Set(schema.values).size !== schema.values.length) return schemaProblem(key, 'enum', 'enum values repeat');
      if (schema.values.some((v) => typeof v !== 'string' || v.length === 0)) {
        return schemaProblem(key, 'enum', 'enum values must be non-empty strings');
      }
      break;
    case 'duration': {
      const min = schema.minimum === undefined ? 0 : parseDurationMs(schema.minimum);
      const max = schema.maximum === undefined ? Number.POSITIVE_INFINITY : parseDurationMs(schema.maximum);
      if (min === null || max === null) return schemaProblem(key, 'bounds', 'duration bounds must be durations such as 30s');
      if (min > max) return schemaProblem(key, 'bounds', 'minimum is greater than maximum');
      break;
    }
    case 'string-list':
      if (!isCount(schema.minItems) || !isCount(schema.maxItems)) {
        return schemaProblem(key, 'bounds', 'item-count bounds must be whole numbers ≥ 0');
      }
      if (schema.minItems !== undefined && schema.maxItems !== undefined && schema.minItems > schema.maxItems) {
        return schemaProblem(key, 'bounds', 'minItems is greater than maxItems');
      }
      if (schema.itemPattern !== undefined && !compiles(schema.itemPattern)) {
        return schemaProblem(key, 'pattern', 'itemPattern does not compile');
      }
      break;
  }
  if (schema.default !== undefined) {
    const checked = validateValue(key, schema, schema.default);
    if (!checked.ok) return schemaProblem(key, 'default', `default is invalid (${checked.error.message})`);
  }
  return ok(schema);
}

export interface KeyDraft {
  readonly key: string;
  readonly schema: KeySchema;
  readonly description: string;
  readonly sensitive: boolean;
  readonly ownerService: string | null;
}

/** Builds a new key definition (version 1) after checking its name, owner and schema. */
export function defineKey(draft: KeyDraft, now: Date): Result<KeyDefinition, ConfigError> {
  if (!isKeyName(draft.key)) {
    return err(
      configError('CONFIG.INVALID_INPUT', 'key must be dotted lower-case words, e.g. sms.max_parts_per_message', {
        field: 'key',
      }),
    );
  }
  const checked = checkKeyAttributes(draft);
  if (!checked.ok) return checked;
  const at = now.toISOString();
  return ok({ ...draft, deprecated: false, version: 1, definedAt: at, updatedAt: at });
}

export interface KeyChanges {
  readonly schema?: KeySchema;
  readonly description?: string;
  readonly sensitive?: boolean;
  readonly ownerService?: string | null;
  readonly deprecated?: boolean;
}

/** Applies changes to a key definition (next version). Checking stored overrides against a new schema is the caller's job. */
export function updateKey(current: KeyDefinition, changes: KeyChanges, now: Date): Result<KeyDefinition, ConfigError> {
  const next: KeyDefinition = {
    ...current,
    ...changes,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const checked = checkKeyAttributes(next);
  return checked.ok ? ok(next) : checked;
}

function checkKeyAttributes(draft: KeyDraft): Result<void, ConfigError> {
  if (draft.description.length > 1000) {
    return err(configError('CONFIG.INVALID_INPUT', 'description must have at most 1000 characters', { field: 'description' }));
  }
  if (draft.ownerService !== null && !isServiceName(draft.ownerService)) {
    return err(configError('CONFIG.INVALID_INPUT', 'ownerService must be a lower-case service name', { field: 'ownerService' }));
  }
  const schema = validateKeySchema(draft.key, draft.schema);
  return schema.ok ? ok() : schema;
}
