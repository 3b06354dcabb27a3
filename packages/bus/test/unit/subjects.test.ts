import { describe, expect, it } from 'vitest';
import { InvalidSubjectError, subjectMatches } from '@sms/bus';
import { assertValidSubject, subjectCovers } from '../../src/subjects.js';

describe('subjectMatches', () => {
  it.each([
    ['orders.created', 'orders.created', true],
    ['orders.*', 'orders.created', true],
    ['orders.*', 'orders.eu.created', false],
    ['orders.>', 'orders.eu.created', true],
    ['orders.>', 'orders', false],
    ['*.created', 'orders.created', true],
    ['orders.created', 'orders.updated', false],
    ['orders', 'orders.created', false],
  ])('%s against %s is %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('subjectCovers', () => {
  it.each([
    ['a.>', 'a.b.*', true],
    ['a.>', 'a.>', true],
    ['a.*', 'a.b', true],
    ['a.*', 'a.>', false],
    ['a.b', 'a.*', false],
    ['a.*.c', 'a.*.c', true],
    ['>', 'anything.at.all', true],
    ['a.>', 'b.c', false],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(subjectCovers(outer, inner)).toBe(expected);
  });
});

describe('assertValidSubject', () => {
  it.each(['', 'a..b', 'a b', 'a.>.b', 'a.b*'])('refuses the pattern "%s"', (subject) => {
    expect(() => assertValidSubject(subject, { wildcards: true })).toThrow(InvalidSubjectError);
  });

  it('refuses wildcards in a subject to publish to', () => {
    expect(() => assertValidSubject('orders.*', { wildcards: false })).toThrow(InvalidSubjectError);
  });

  it('accepts wildcards in a pattern', () => {
    expect(() => assertValidSubject('orders.*.>', { wildcards: true })).not.toThrow();
  });
});
