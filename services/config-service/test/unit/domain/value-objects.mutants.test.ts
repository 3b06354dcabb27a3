import { describe, expect, it } from 'vitest';
import { ConfigLevels } from '../../../src/domain/config-levels.js';
import type { LevelDefinition } from '../../../src/domain/config-levels.js';
import { sameValue } from '../../../src/domain/config-value.js';
import { parseNodePath, rebasePath } from '../../../src/domain/node-path.js';

// Behaviours the first mutation run (docs/mutation-testing.md) showed no test pinned down.

const reasonOf = (input: unknown): unknown => {
  const parsed = parseNodePath(input);
  return parsed.ok ? 'accepted' : parsed.error.details?.['reason'];
};

/** A canonical path of exactly `length` characters: /GLOBAL, then `/s:` segments with names of at most 63 characters. */
const pathOfLength = (length: number): string => {
  let path = '/GLOBAL';
  while (path.length < length) {
    const room = length - path.length - '/s:'.length;
    path += `/s:${'n'.repeat(Math.min(63, room))}`;
  }
  return path;
};

describe('node path refusals name the problem', () => {
  it.each([
    ['an empty segment', '/GLOBAL//tenant:acme', 'empty segment or trailing slash'],
    ['a trailing slash', '/GLOBAL/tenant:acme/', 'empty segment or trailing slash'],
    ['a current-directory segment', '/GLOBAL/./tenant:acme', 'relative segments are not allowed'],
    ['a parent segment', '/GLOBAL/..', 'relative segments are not allowed'],
    ['a segment without a colon', '/GLOBAL/acme', 'segment "acme" is not level:name'],
    ['a segment with an empty level', '/GLOBAL/:acme', 'level "" is not a lower-case level name'],
    ['an upper-case level', '/GLOBAL/Region:kabul', 'level "Region" is not a lower-case level name'],
    ['a level with upper case after its first letter', '/GLOBAL/rEgion:kabul', 'level "rEgion" is not a lower-case level name'],
    ['a name with a dot', '/GLOBAL/tenant:acme.evil', `name "acme.evil" may hold only a-z, 0-9, '-' and '_'`],
    ['a path outside GLOBAL', '/OTHER/tenant:acme', 'must start with /GLOBAL'],
  ])('refuses %s with the reason "%s"', (_label, input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('refuses a value that is not a string, saying so', () => {
    expect(reasonOf(42)).toBe('a path must be a string');
  });

  it('accepts a path of exactly 1024 characters and refuses one of 1025', () => {
    expect(pathOfLength(1024)).toHaveLength(1024);
    expect(reasonOf(pathOfLength(1024))).toBe('accepted');
    expect(reasonOf(pathOfLength(1025))).toBe('longer than 1024 characters');
  });

  it('quotes at most the first 200 characters of a refused path in the message', () => {
    const input = `${pathOfLength(1024)}/x`;
    const parsed = parseNodePath(input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.message).toBe(
      `node path ${JSON.stringify(input.slice(0, 200))} is invalid: longer than 1024 characters`,
    );
  });

  it('names both paths when asked to rebase a path from outside the prefix', () => {
    expect(() => rebasePath('/GLOBAL/tenant:b', '/GLOBAL/tenant:a', '/GLOBAL')).toThrow(
      '/GLOBAL/tenant:b is not under /GLOBAL/tenant:a',
    );
  });
});

describe('sameValue on lists', () => {
  it('needs every item to match, not just one', () => {
    expect(sameValue(['a', 'b'], ['a', 'c'])).toBe(false);
  });
});

describe('ConfigLevels', () => {
  const level = (name: string, parents: string[], ownsTenant = false): LevelDefinition => ({
    name,
    parents,
    ownsTenant,
    description: `${name} level`,
  });
  const definitions = [level('GLOBAL', []), level('region', ['GLOBAL']), level('tenant', ['GLOBAL', 'region'], true)];

  it('reports an invalid definition as CONFIG.INVALID_INPUT on the levels field', () => {
    const defined = ConfigLevels.define([level('region', ['GLOBAL'])]);
    expect(defined).toEqual({
      ok: false,
      error: {
        code: 'CONFIG.INVALID_INPUT',
        message: 'level definitions: the root level GLOBAL is missing',
        details: { field: 'levels' },
      },
    });
  });

  it('looks levels up by name and lists them in definition order', () => {
    const defined = ConfigLevels.define(definitions);
    if (!defined.ok) throw new Error('definitions must be valid');
    expect(defined.value.get('tenant')).toEqual(level('tenant', ['GLOBAL', 'region'], true));
    expect(defined.value.get('country')).toBeUndefined();
    expect(defined.value.list().map((d) => d.name)).toEqual(['GLOBAL', 'region', 'tenant']);
  });
});
