import { describe, expect, it } from 'vitest';
import { isConfigValue, sameValue } from '../../../src/domain/config-value.js';

describe('isConfigValue', () => {
  it.each([
    [3, true],
    [false, true],
    ['x', true],
    [['a', 'b'], true],
    [['a', 1], false],
    [null, false],
    [{ a: 1 }, false],
    [undefined, false],
  ])('judges %j as %s', (value, expected) => {
    expect(isConfigValue(value)).toBe(expected);
  });
});

describe('sameValue', () => {
  it.each([
    [1, 1, true],
    [1, 2, false],
    [['a', 'b'], ['a', 'b'], true],
    [['a', 'b'], ['b', 'a'], false],
    [['a'], ['a', 'b'], false],
    [['a'], 'a', false],
    ['a', ['a'], false],
    [undefined, undefined, true],
    [undefined, 1, false],
    [Number.NaN, Number.NaN, true],
  ] as const)('compares %j with %j as %s', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
  });
});
