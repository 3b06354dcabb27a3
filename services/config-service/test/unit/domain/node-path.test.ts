import { describe, expect, it } from 'vitest';
import { ancestorPaths, childPath, depthOf, isSameOrDescendant, parseNodePath, rebasePath } from '../../../src/domain/node-path.js';

describe('parseNodePath', () => {
  it('accepts the GLOBAL root', () => {
    expect(parseNodePath('/GLOBAL')).toEqual({ ok: true, value: { path: '/GLOBAL', segments: [] } });
  });

  it('splits a canonical path into level:name segments', () => {
    const parsed = parseNodePath('/GLOBAL/region:kabul/tenant:acme');
    expect(parsed.ok && parsed.value.segments).toEqual([
      { level: 'region', name: 'kabul' },
      { level: 'tenant', name: 'acme' },
    ]);
  });

  it.each([
    ['a relative parent segment', '/GLOBAL/region:kabul/../tenant:globex'],
    ['a bare parent segment', '/GLOBAL/..'],
    ['a current-directory segment', '/GLOBAL/./tenant:acme'],
    ['an empty segment', '/GLOBAL//tenant:acme'],
    ['a trailing slash', '/GLOBAL/tenant:acme/'],
    ['an encoded slash', '/GLOBAL/tenant:acme%2F..%2Ftenant:globex'],
    ['an encoded slash in lower case', '/GLOBAL/tenant:acme%2f'],
    ['a backslash', '/GLOBAL/tenant:acme\\..\\globex'],
    ['upper case names', '/GLOBAL/tenant:ACME'],
    ['a space', '/GLOBAL/tenant:ac me'],
    ['a segment without a level', '/GLOBAL/acme'],
    ['a path outside GLOBAL', '/OTHER/tenant:acme'],
    ['a prefix of GLOBAL', '/GLOBALX/tenant:acme'],
    ['a relative path', 'GLOBAL/tenant:acme'],
    ['a dot in a name', '/GLOBAL/tenant:acme.evil'],
    ['a NUL character', '/GLOBAL/tenant:acme\u0000'],
    ['a unicode look-alike', '/GLOBAL/tenant:аcme'],
  ])('refuses %s instead of normalising it', (_label, input) => {
    const parsed = parseNodePath(input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.code).toBe('CONFIG.INVALID_PATH');
  });

  it('refuses a path longer than 1024 characters', () => {
    const parsed = parseNodePath(`/GLOBAL/${Array.from({ length: 200 }, (_, i) => `sub-account:n${i}`).join('/')}`);
    expect(!parsed.ok && parsed.error.details).toEqual({ reason: 'longer than 1024 characters' });
  });

  it('refuses a value that is not a string', () => {
    expect(parseNodePath(42).ok).toBe(false);
  });
});

describe('path helpers', () => {
  it('lists the ancestors of a path root first, the node itself last', () => {
    expect(ancestorPaths('/GLOBAL/region:kabul/tenant:acme')).toEqual(['/GLOBAL', '/GLOBAL/region:kabul', '/GLOBAL/region:kabul/tenant:acme']);
  });

  it('treats a node as inside its own subtree', () => {
    expect(isSameOrDescendant('/GLOBAL/tenant:acme', '/GLOBAL/tenant:acme')).toBe(true);
  });

  it('does not treat a sibling sharing a name prefix as a descendant', () => {
    expect(isSameOrDescendant('/GLOBAL/tenant:acme2', '/GLOBAL/tenant:acme')).toBe(false);
  });

  it('rebases a descendant from one parent to another', () => {
    expect(rebasePath('/GLOBAL/region:kabul/tenant:acme/sub-account:x', '/GLOBAL/region:kabul/tenant:acme', '/GLOBAL/tenant:acme')).toBe(
      '/GLOBAL/tenant:acme/sub-account:x',
    );
  });

  it('refuses to rebase a path that is not under the prefix', () => {
    expect(() => rebasePath('/GLOBAL/tenant:b', '/GLOBAL/tenant:a', '/GLOBAL')).toThrow();
  });

  it('builds a child path and counts its depth below GLOBAL', () => {
    const path = childPath('/GLOBAL/region:kabul', 'tenant', 'acme');
    expect([path, depthOf(path), depthOf('/GLOBAL')]).toEqual(['/GLOBAL/region:kabul/tenant:acme', 2, 0]);
  });
});
