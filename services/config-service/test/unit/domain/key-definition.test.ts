import { describe, expect, it } from 'vitest';
import { defineKey, parseDurationMs, updateKey, validateKeySchema, validateValue } from '../../../src/domain/key-definition.js';
import type { KeySchema } from '../../../src/domain/key-definition.js';

const ruleBroken = (schema: KeySchema, value: unknown): unknown => {
  const checked = validateValue('test.key', schema, value);
  return checked.ok ? 'accepted' : checked.error.details?.['rule'];
};

describe('validateValue', () => {
  it.each<[string, KeySchema, unknown, unknown]>([
    ['an integer in bounds', { type: 'integer', minimum: 1, maximum: 10 }, 5, 'accepted'],
    ['a string for an integer', { type: 'integer' }, '5', 'type'],
    ['a fraction for an integer', { type: 'integer' }, 1.5, 'integer'],
    ['an integer below the minimum', { type: 'integer', minimum: 1 }, 0, 'minimum'],
    ['an integer above the maximum', { type: 'integer', maximum: 10 }, 11, 'maximum'],
    ['an infinite number', { type: 'number' }, Number.POSITIVE_INFINITY, 'finite'],
    ['NaN', { type: 'number' }, Number.NaN, 'finite'],
    ['a fraction for a number', { type: 'number', minimum: 0, maximum: 1 }, 0.25, 'accepted'],
    ['a boolean', { type: 'boolean' }, false, 'accepted'],
    ['a string for a boolean', { type: 'boolean' }, 'true', 'type'],
    ['a string matching its pattern', { type: 'string', pattern: '[A-Z]{3}' }, 'ABC', 'accepted'],
    ['a string matching only part of its pattern', { type: 'string', pattern: '[A-Z]{3}' }, 'ABCD', 'pattern'],
    ['a string too short', { type: 'string', minLength: 3 }, 'ab', 'minLength'],
    ['a string too long', { type: 'string', maxLength: 3 }, 'abcd', 'maxLength'],
    ['a string beyond the global ceiling', { type: 'string' }, 'x'.repeat(4097), 'maxLength'],
    ['a number for a string', { type: 'string' }, 3, 'type'],
    ['an enum member', { type: 'enum', values: ['gsm7', 'ucs2'] }, 'ucs2', 'accepted'],
    ['a non-member of an enum', { type: 'enum', values: ['gsm7', 'ucs2'] }, 'latin1', 'enum'],
    ['a number for an enum', { type: 'enum', values: ['a'] }, 1, 'type'],
    ['a duration in bounds', { type: 'duration', minimum: '1s', maximum: '1h' }, '90s', 'accepted'],
    ['a duration without a unit', { type: 'duration' }, '90', 'format'],
    ['a duration with two units', { type: 'duration' }, '1h30m', 'format'],
    ['a number for a duration', { type: 'duration' }, 90, 'type'],
    ['a duration below the minimum', { type: 'duration', minimum: '1s' }, '999ms', 'minimum'],
    ['a duration above the maximum', { type: 'duration', maximum: '1h' }, '61m', 'maximum'],
    ['a list of strings', { type: 'string-list', itemPattern: '[A-Z]+' }, ['AB', 'CD'], 'accepted'],
    ['a string for a list', { type: 'string-list' }, 'AB', 'type'],
    ['a list with a number', { type: 'string-list' }, ['AB', 1], 'type'],
    ['a list too short', { type: 'string-list', minItems: 1 }, [], 'minItems'],
    ['a list too long', { type: 'string-list', maxItems: 1 }, ['a', 'b'], 'maxItems'],
    ['a list beyond the global ceiling', { type: 'string-list' }, Array.from({ length: 257 }, () => 'a'), 'maxItems'],
    ['a list with an item too long', { type: 'string-list' }, ['x'.repeat(4097)], 'maxLength'],
    ['a list with an item off pattern', { type: 'string-list', itemPattern: '[A-Z]+' }, ['AB', 'cd'], 'itemPattern'],
    ['a list with repeats where items are unique', { type: 'string-list', uniqueItems: true }, ['a', 'a'], 'uniqueItems'],
  ])('judges %s', (_label, schema, value, expected) => {
    expect(ruleBroken(schema, value)).toBe(expected);
  });

  it('names the key and the rule in the error', () => {
    const checked = validateValue('sms.max_parts_per_message', { type: 'integer', maximum: 10 }, 11);
    expect(!checked.ok && checked.error).toEqual({
      code: 'CONFIG.VALUE_REJECTED',
      message: 'value of sms.max_parts_per_message breaks rule maximum: must be ≤ 10',
      details: { key: 'sms.max_parts_per_message', rule: 'maximum' },
    });
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['5 m', null],
    ['-5s', null],
  ])('reads %s as %s milliseconds', (input, expected) => {
    expect(parseDurationMs(input)).toBe(expected);
  });
});

const schemaRule = (schema: KeySchema): unknown => {
  const checked = validateKeySchema('test.key', schema);
  return checked.ok ? 'accepted' : checked.error.details?.['rule'];
};

describe('validateKeySchema', () => {
  it.each<[string, KeySchema, unknown]>([
    ['a consistent integer schema', { type: 'integer', minimum: 1, maximum: 10, default: 6 }, 'accepted'],
    ['inverted bounds', { type: 'integer', minimum: 10, maximum: 1 }, 'bounds'],
    ['fractional integer bounds', { type: 'integer', minimum: 0.5 }, 'bounds'],
    ['infinite number bounds', { type: 'number', maximum: Number.POSITIVE_INFINITY }, 'bounds'],
    ['a default outside the bounds', { type: 'integer', maximum: 10, default: 11 }, 'default'],
    ['a boolean with a default', { type: 'boolean', default: true }, 'accepted'],
    ['a pattern that does not compile', { type: 'string', pattern: '([a-z' }, 'pattern'],
    ['inverted length bounds', { type: 'string', minLength: 5, maxLength: 2 }, 'bounds'],
    ['negative length bounds', { type: 'string', minLength: -1 }, 'bounds'],
    ['an empty enum', { type: 'enum', values: [] }, 'enum'],
    ['an enum with repeats', { type: 'enum', values: ['a', 'a'] }, 'enum'],
    ['an enum with an empty value', { type: 'enum', values: [''] }, 'enum'],
    ['an enum default outside the enum', { type: 'enum', values: ['a'], default: 'b' }, 'default'],
    ['duration bounds that are not durations', { type: 'duration', minimum: '5' }, 'bounds'],
    ['inverted duration bounds', { type: 'duration', minimum: '1h', maximum: '1m' }, 'bounds'],
    ['a consistent duration schema', { type: 'duration', minimum: '1s', maximum: '1h', default: '5s' }, 'accepted'],
    ['inverted item-count bounds', { type: 'string-list', minItems: 3, maxItems: 1 }, 'bounds'],
    ['fractional item-count bounds', { type: 'string-list', maxItems: 1.5 }, 'bounds'],
    ['an item pattern that does not compile', { type: 'string-list', itemPattern: '*' }, 'pattern'],
    ['a consistent string-list schema', { type: 'string-list', itemPattern: '[A-Z]+', default: ['A'] }, 'accepted'],
  ])('judges %s', (_label, schema, expected) => {
    expect(schemaRule(schema)).toBe(expected);
  });

  it('refuses an unknown type', () => {
    expect(schemaRule(JSON.parse('{"type":"date"}') as KeySchema)).toBe('type');
  });
});

const draft = {
  key: 'sms.max_parts_per_message',
  schema: { type: 'integer', minimum: 1, maximum: 10, default: 6 } as const,
  description: 'parts',
  sensitive: false,
  ownerService: 'sms-orchestrator',
};

describe('defineKey and updateKey', () => {
  it('defines a key at version 1, not deprecated', () => {
    const defined = defineKey(draft, new Date('2026-01-01T00:00:00Z'));
    expect(defined.ok && [defined.value.version, defined.value.deprecated, defined.value.definedAt]).toEqual([1, false, '2026-01-01T00:00:00.000Z']);
  });

  it.each(['max_parts', 'SMS.max', 'sms..max', 'sms.max-parts', `sms.${'x'.repeat(130)}`])('refuses the key name %s', (key) => {
    const defined = defineKey({ ...draft, key }, new Date());
    expect(!defined.ok && defined.error.details).toEqual({ field: 'key' });
  });

  it('refuses a malformed owner service', () => {
    const defined = defineKey({ ...draft, ownerService: 'SMS Orchestrator' }, new Date());
    expect(!defined.ok && defined.error.details).toEqual({ field: 'ownerService' });
  });

  it('refuses a description longer than 1000 characters', () => {
    const defined = defineKey({ ...draft, description: 'x'.repeat(1001) }, new Date());
    expect(!defined.ok && defined.error.details).toEqual({ field: 'description' });
  });

  it('refuses a key whose schema is inconsistent', () => {
    const defined = defineKey({ ...draft, schema: { type: 'integer', minimum: 5, maximum: 1 } }, new Date());
    expect(!defined.ok && defined.error.code).toBe('CONFIG.INVALID_KEY_SCHEMA');
  });

  it('updates a key to the next version', () => {
    const defined = defineKey(draft, new Date('2026-01-01T00:00:00Z'));
    if (!defined.ok) throw new Error('valid draft');
    const updated = updateKey(defined.value, { deprecated: true }, new Date('2026-01-02T00:00:00Z'));
    expect(updated.ok && [updated.value.version, updated.value.deprecated, updated.value.updatedAt]).toEqual([2, true, '2026-01-02T00:00:00.000Z']);
  });

  it('refuses an update that makes the schema inconsistent', () => {
    const defined = defineKey(draft, new Date());
    if (!defined.ok) throw new Error('valid draft');
    const updated = updateKey(defined.value, { schema: { type: 'integer', maximum: 3, default: 6 } }, new Date());
    expect(!updated.ok && updated.error.details).toMatchObject({ rule: 'default' });
  });
});
