import { describe, expect, it } from 'vitest';
import { objectKeyProblem } from '../../src/index.js';
import { REFUSED_KEYS } from '../contract/object-store.contract.js';

describe('object keys', () => {
  it.each(['a', 'exports/2026-01/atra.csv', 'imports/roshan/batch=7/file_1.csv', 'x.y.z'])('accepts the plain key %j', (key) => {
    expect(objectKeyProblem(key)).toBeNull();
  });

  it.each(REFUSED_KEYS.map((key) => [key]))('refuses %j with a reason', (key) => {
    expect(objectKeyProblem(key)).toEqual(expect.any(String));
  });

  it('explains a parent-directory escape', () => {
    expect(objectKeyProblem('a/../b')).toBe('it has a ".." segment');
  });

  it('refuses a key longer than 1024 bytes', () => {
    expect(objectKeyProblem(Array.from({ length: 6 }, () => 'a'.repeat(180)).join('/'))).toMatch(/longer than 1024 bytes/);
  });
});
