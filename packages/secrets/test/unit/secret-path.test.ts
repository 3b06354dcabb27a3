import { describe, expect, it } from 'vitest';
import { secretPathProblem } from '../../src/index.js';
import { REFUSED_PATHS } from '../contract/secret-store.contract.js';

describe('secret paths', () => {
  it.each(['roshan', 'operators/roshan/smpp', 'a.b_c-d/9', 'MTN-AF/bind.1'])('accepts the plain relative path %j', (path) => {
    expect(secretPathProblem(path)).toBeNull();
  });

  it.each(REFUSED_PATHS.map((path) => [path]))('refuses %j with a reason', (path) => {
    expect(secretPathProblem(path)).toEqual(expect.any(String));
  });

  it('explains a parent-directory escape', () => {
    expect(secretPathProblem('a/../b')).toBe('it has a ".." segment');
  });

  it('explains an absolute path', () => {
    expect(secretPathProblem('/a')).toMatch(/starts with "\/"/);
  });

  it('refuses a path longer than 512 characters', () => {
    expect(secretPathProblem('a'.repeat(513))).toMatch(/longer than 512/);
  });
});
