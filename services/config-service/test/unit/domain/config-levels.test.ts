import { describe, expect, it } from 'vitest';
import { ConfigLevels } from '../../../src/domain/config-levels.js';
import type { LevelDefinition } from '../../../src/domain/config-levels.js';
import { seedLevels } from '../../../src/domain/config-seed.js';

const level = (name: string, parents: string[], ownsTenant = false): LevelDefinition => ({ name, parents, ownsTenant, description: '' });

const problemOf = (definitions: LevelDefinition[]): string => {
  const defined = ConfigLevels.define(definitions);
  return defined.ok ? 'accepted' : defined.error.message;
};

describe('ConfigLevels', () => {
  it('accepts the seeded levels', () => {
    expect(ConfigLevels.define(seedLevels).ok).toBe(true);
  });

  it('allows a level under each of its declared parent levels and nowhere else', () => {
    const levels = ConfigLevels.define(seedLevels);
    if (!levels.ok) throw new Error('seed levels must be valid');
    expect([
      levels.value.allowsParent('tenant', 'region'),
      levels.value.allowsParent('tenant', 'GLOBAL'),
      levels.value.allowsParent('sub-account', 'GLOBAL'),
      levels.value.allowsParent('unknown', 'GLOBAL'),
    ]).toEqual([true, true, false, false]);
  });

  it('accepts other hierarchies as data, e.g. GLOBAL → country → tenant', () => {
    expect(problemOf([level('GLOBAL', []), level('country', ['GLOBAL']), level('tenant', ['country'], true)])).toBe('accepted');
  });

  it('refuses a definition without the GLOBAL root', () => {
    expect(problemOf([level('region', ['tenant']), level('tenant', ['region'])])).toMatch(/root level GLOBAL is missing/);
  });

  it('refuses a GLOBAL level with a parent', () => {
    expect(problemOf([level('GLOBAL', ['region']), level('region', ['GLOBAL'])])).toMatch(/has no parent levels/);
  });

  it('refuses a GLOBAL level that owns a tenant', () => {
    expect(problemOf([level('GLOBAL', [], true)])).toMatch(/cannot own a tenant/);
  });

  it('refuses a level defined twice', () => {
    expect(problemOf([level('GLOBAL', []), level('region', ['GLOBAL']), level('region', ['GLOBAL'])])).toMatch(/defined twice/);
  });

  it('refuses a level without a parent level', () => {
    expect(problemOf([level('GLOBAL', []), level('region', [])])).toMatch(/has no parent level/);
  });

  it('refuses a level naming an unknown parent level', () => {
    expect(problemOf([level('GLOBAL', []), level('region', ['country'])])).toMatch(/unknown parent level country/);
  });

  it('refuses a malformed level name', () => {
    expect(problemOf([level('GLOBAL', []), level('Region', ['GLOBAL'])])).toMatch(/must be lower-case/);
  });

  it('refuses levels whose parents form a cycle', () => {
    expect(problemOf([level('GLOBAL', []), level('a', ['GLOBAL', 'b']), level('b', ['a'])])).toMatch(/cycle/);
  });

  it('refuses a tenant level that could sit below another tenant level', () => {
    expect(problemOf([level('GLOBAL', []), level('tenant', ['GLOBAL'], true), level('reseller', ['tenant'], true)])).toMatch(
      /tenant level reseller could sit below tenant level tenant/,
    );
  });
});
