import { describe, expect, it } from 'vitest';
import { findOverlaps, operatorReferences, sameRules, validateRoutingRules, type RoutingRuleInput, type RuleOverlap } from '../../../src/index.js';
import { errorOf, valueOf } from '../../support/harness.js';

const rule = (overrides: Partial<RoutingRuleInput> = {}): RoutingRuleInput => ({
  id: 'roshan',
  prefixes: ['9379'],
  operatorId: 'op-roshan',
  priority: 10,
  weight: 1,
  ...overrides,
});

const overlapsOf = (rules: RoutingRuleInput[]): RuleOverlap[] => {
  const result = validateRoutingRules(rules);
  if (result.ok) return [];
  if (result.error.code !== 'OPS.ROUTING_RULES_OVERLAP') throw new Error(`expected an overlap, got ${result.error.detail}`);
  return [...result.error.overlaps];
};

const fieldsOf = (rules: RoutingRuleInput[]) => {
  const error = errorOf(validateRoutingRules(rules));
  return error.code === 'OPS.VALIDATION_FAILED' ? error.issues.map((i) => i.field) : [error.code];
};

describe('validateRoutingRules: fields', () => {
  it('normalises a rule: sorted prefixes, null conditions, empty failover', () => {
    expect(valueOf(validateRoutingRules([rule({ prefixes: ['9372', '9379'].reverse() })]))).toEqual([
      { id: 'roshan', prefixes: ['9372', '9379'], tenantId: null, senderTypes: null, timeWindow: null, operatorId: 'op-roshan', priority: 10, weight: 1, failover: [] },
    ]);
  });

  it('orders rules by priority, then id', () => {
    const rules = valueOf(validateRoutingRules([rule({ id: 'b', priority: 5, prefixes: ['1'] }), rule({ id: 'c', priority: 1 }), rule({ id: 'a', priority: 5, prefixes: ['2'] })]));
    expect(rules.map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });

  it('orders sender types canonically', () => {
    expect(valueOf(validateRoutingRules([rule({ senderTypes: ['alphanumeric', 'msisdn'] })]))[0]?.senderTypes).toEqual(['msisdn', 'alphanumeric']);
  });

  it('accepts an empty rule set', () => {
    expect(valueOf(validateRoutingRules([]))).toEqual([]);
  });

  it.each([
    ['an id with a space', { id: 'a b' }, 'rules[0].id'],
    ['no prefixes', { prefixes: [] }, 'rules[0].prefixes'],
    ['a prefix with a letter', { prefixes: ['93a'] }, 'rules[0].prefixes[0]'],
    ['a blank operator id', { operatorId: ' ' }, 'rules[0].operatorId'],
    ['a negative priority', { priority: -1 }, 'rules[0].priority'],
    ['a fractional priority', { priority: 1.5 }, 'rules[0].priority'],
    ['a zero weight', { weight: 0 }, 'rules[0].weight'],
    ['a negative weight', { weight: -3 }, 'rules[0].weight'],
    ['a blank tenant', { tenantId: ' ' }, 'rules[0].tenantId'],
    ['a tenant id of 129 characters', { tenantId: 't'.repeat(129) }, 'rules[0].tenantId'],
    ['an empty sender type list', { senderTypes: [] }, 'rules[0].senderTypes'],
    ['an unknown sender type', { senderTypes: ['email'] }, 'rules[0].senderTypes[0]'],
    ['a repeated sender type', { senderTypes: ['msisdn', 'msisdn'] }, 'rules[0].senderTypes[1]'],
    ['a bad time window', { timeWindow: { days: ['mon'], start: '9', end: '17:00' } }, 'rules[0].timeWindow.start'],
    ['eleven failover operators', { failover: Array.from({ length: 11 }, (_, i) => `op-${i}`) }, 'rules[0].failover'],
    ['a blank failover operator', { failover: [''] }, 'rules[0].failover[0]'],
    ['the rule’s own operator as failover', { failover: ['op-roshan'] }, 'rules[0].failover[0]'],
    ['a repeated failover operator', { failover: ['op-awcc', 'op-awcc'] }, 'rules[0].failover[1]'],
  ])('refuses %s, naming the field', (_label, overrides, field) => {
    expect(fieldsOf([rule(overrides as Partial<RoutingRuleInput>)])).toEqual([field]);
  });

  it('refuses two rules with one id', () => {
    expect(fieldsOf([rule(), rule({ priority: 20 })])).toEqual(['rules[1].id']);
  });

  it('refuses more than 5000 rules', () => {
    const rules = Array.from({ length: 5001 }, (_, i) => rule({ id: `r${i}`, priority: i }));
    expect(fieldsOf(rules)).toEqual(['rules']);
  });
});

describe('validateRoutingRules: overlap at one priority', () => {
  it('accepts the same prefix at different priorities (a fallback rule)', () => {
    expect(overlapsOf([rule(), rule({ id: 'fallback', priority: 20, operatorId: 'op-awcc' })])).toEqual([]);
  });

  it('accepts sibling prefixes at one priority', () => {
    expect(overlapsOf([rule(), rule({ id: 'awcc', prefixes: ['9370'], operatorId: 'op-awcc' })])).toEqual([]);
  });

  it('refuses the same prefix at one priority with different conditions', () => {
    const overlaps = overlapsOf([rule(), rule({ id: 'otp', senderTypes: ['short_code'], operatorId: 'op-awcc' })]);
    expect(overlaps).toEqual([
      expect.objectContaining({ firstRuleId: 'otp', secondRuleId: 'roshan', reason: expect.stringContaining('both match prefix 9379') as string }),
    ]);
  });

  it('refuses nested prefixes at one priority', () => {
    const overlaps = overlapsOf([rule({ id: 'country', prefixes: ['93'] }), rule({ id: 'roshan', prefixes: ['9379'], operatorId: 'op-awcc' })]);
    expect(overlaps).toEqual([expect.objectContaining({ firstRuleId: 'country', secondRuleId: 'roshan', reason: expect.stringContaining('prefixes 93 and 9379 are nested') as string })]);
  });

  it('names the prefixes in rule order when the shorter prefix belongs to the later rule', () => {
    const overlaps = overlapsOf([rule({ id: 'a', prefixes: ['9379'] }), rule({ id: 'b', prefixes: ['93'], operatorId: 'op-awcc' })]);
    expect(overlaps).toEqual([expect.objectContaining({ firstRuleId: 'a', secondRuleId: 'b', reason: expect.stringContaining('prefixes 9379 and 93 are nested') as string })]);
  });

  it('reports a pair of rules once even when several of their prefixes collide', () => {
    const overlaps = overlapsOf([rule({ id: 'a', prefixes: ['93', '94'] }), rule({ id: 'b', prefixes: ['9379', '9481'], operatorId: 'op-awcc' })]);
    expect(overlaps.map((o) => `${o.firstRuleId}-${o.secondRuleId}`)).toEqual(['a-b']);
  });

  it('finds a nested pair among several prefixes of each rule', () => {
    const overlaps = overlapsOf([rule({ id: 'a', prefixes: ['9370', '9379'] }), rule({ id: 'b', prefixes: ['9371', '93795'], operatorId: 'op-awcc' })]);
    expect(overlaps.map((o) => o.reason)).toEqual([expect.stringContaining('prefixes 9379 and 93795 are nested')]);
  });

  it('finds every rule in a chain of nested prefixes', () => {
    const overlaps = overlapsOf([
      rule({ id: 'a', prefixes: ['9'] }),
      rule({ id: 'b', prefixes: ['93'], operatorId: 'op-b' }),
      rule({ id: 'c', prefixes: ['937'], operatorId: 'op-c' }),
      rule({ id: 'd', prefixes: ['94'], operatorId: 'op-d' }),
    ]);
    expect(overlaps.map((o) => `${o.firstRuleId}-${o.secondRuleId}`).sort()).toEqual(['a-b', 'a-c', 'a-d', 'b-c']);
  });

  it('accepts the same prefix at one priority for different tenants', () => {
    expect(overlapsOf([rule({ tenantId: 't-1' }), rule({ id: 'r2', tenantId: 't-2', operatorId: 'op-awcc' })])).toEqual([]);
  });

  it('refuses a tenant rule overlapping an every-tenant rule at one priority', () => {
    expect(overlapsOf([rule({ tenantId: 't-1' }), rule({ id: 'r2', operatorId: 'op-awcc' })])).toHaveLength(1);
  });

  it('accepts the same prefix at one priority for disjoint sender types', () => {
    expect(overlapsOf([rule({ senderTypes: ['msisdn'] }), rule({ id: 'r2', senderTypes: ['short_code', 'alphanumeric'], operatorId: 'op-awcc' })])).toEqual([]);
  });

  it('refuses sender types that share one type at one priority', () => {
    expect(overlapsOf([rule({ senderTypes: ['msisdn'] }), rule({ id: 'r2', senderTypes: ['msisdn', 'alphanumeric'], operatorId: 'op-awcc' })])).toHaveLength(1);
  });

  it('accepts the same prefix at one priority in disjoint time windows (day and night)', () => {
    const day = { days: ['mon' as const], start: '06:00', end: '22:00' };
    const night = { days: ['mon' as const], start: '22:00', end: '06:00' };
    expect(overlapsOf([rule({ timeWindow: day }), rule({ id: 'night', timeWindow: night, operatorId: 'op-awcc' })])).toEqual([]);
  });

  it('refuses time windows that meet at some moment, at one priority', () => {
    const a = { days: ['mon' as const], start: '06:00', end: '12:00' };
    const b = { days: ['mon' as const], start: '11:00', end: '13:00' };
    expect(overlapsOf([rule({ timeWindow: a }), rule({ id: 'r2', timeWindow: b, operatorId: 'op-awcc' })])).toHaveLength(1);
  });

  it('accepts identical conditions for different operators at one priority: a weighted split', () => {
    expect(overlapsOf([rule({ weight: 70 }), rule({ id: 'roshan-b', weight: 30, operatorId: 'op-awcc' })])).toEqual([]);
  });

  it('accepts a weighted split with identical time windows', () => {
    const w = { days: ['mon' as const], start: '06:00', end: '22:00' };
    expect(overlapsOf([rule({ timeWindow: w }), rule({ id: 'r2', timeWindow: w, operatorId: 'op-awcc' })])).toEqual([]);
  });

  it('refuses identical conditions for the same operator at one priority (a duplicate)', () => {
    expect(overlapsOf([rule(), rule({ id: 'copy' })])).toEqual([expect.objectContaining({ reason: 'same conditions and same operator (a duplicate rule)' })]);
  });

  it('ignores nested prefixes within one rule', () => {
    expect(overlapsOf([rule({ prefixes: ['93', '9379'] })])).toEqual([]);
  });

  it('reports the overlap as a readable detail', () => {
    const error = errorOf(validateRoutingRules([rule(), rule({ id: 'copy' })]));
    expect(error.detail).toBe('rules copy and roshan at priority 10: same conditions and same operator (a duplicate rule)');
  });

  it('exposes the overlap search on normalised rules', () => {
    expect(findOverlaps([])).toEqual([]);
  });
});

describe('rule set helpers', () => {
  it('lists every operator a rule set routes to, with its role', () => {
    const rules = valueOf(validateRoutingRules([rule({ failover: ['op-awcc', 'op-mtn'] })]));
    expect(operatorReferences(rules)).toEqual([
      { ruleId: 'roshan', operatorId: 'op-roshan', role: 'target' },
      { ruleId: 'roshan', operatorId: 'op-awcc', role: 'failover' },
      { ruleId: 'roshan', operatorId: 'op-mtn', role: 'failover' },
    ]);
  });

  it('compares rule lists by content, not property order', () => {
    const [a] = valueOf(validateRoutingRules([rule({ timeWindow: { days: ['mon'], start: '06:00', end: '07:00' } })]));
    const reordered = JSON.parse(JSON.stringify({ weight: a?.weight, ...a })) as typeof a;
    expect(sameRules([a!], [reordered!])).toBe(true);
  });

  it('tells rule lists of different length or content apart', () => {
    const [a] = valueOf(validateRoutingRules([rule()]));
    expect([sameRules([a!], []), sameRules([a!], [{ ...a!, weight: 2 }])]).toEqual([false, false]);
  });
});
