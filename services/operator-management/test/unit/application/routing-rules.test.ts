import { describe, expect, it } from 'vitest';
import { OPS_EVENT_TYPES, type RoutingRuleInput } from '../../../src/index.js';
import { errorOf, givenOperator, harness, valueOf } from '../../support/harness.js';

async function setup() {
  const h = harness();
  const roshan = await givenOperator(h, 'roshan');
  const awcc = await givenOperator(h, 'awcc');
  const rules: RoutingRuleInput[] = [
    { id: 'roshan', prefixes: ['9379', '9372'], operatorId: roshan.id, priority: 10, weight: 1, failover: [awcc.id] },
    { id: 'awcc-night', prefixes: ['9370'], operatorId: awcc.id, priority: 10, weight: 1, timeWindow: { days: ['fri'], start: '22:00', end: '06:00' } },
  ];
  return { h, roshan, awcc, rules };
}

describe('ReplaceRoutingRules', () => {
  it('stores version 1 and publishes the whole rule set, ordered', async () => {
    const { h, rules } = await setup();
    const result = valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }));
    expect([result.changed, result.ruleSet.version, result.ruleSet.rules.map((r) => r.id)]).toEqual([true, 1, ['awcc-night', 'roshan']]);
    const [event] = h.outbox.ofType(OPS_EVENT_TYPES.routingRulesChanged);
    expect(event).toMatchObject({ aggregateType: 'routing-rule-set', aggregateId: 'routing-rules', data: { version: 1, previousVersion: 0, changedAt: '2026-04-18T12:00:00.000Z' } });
    expect(event?.data.rules).toEqual(result.ruleSet.rules);
  });

  it('fills the Asia/Kabul default time zone', async () => {
    const { h, rules } = await setup();
    const result = valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }));
    expect(result.ruleSet.rules[0]?.timeWindow?.timezone).toBe('Asia/Kabul');
  });

  it('makes each replacement a new version and keeps the earlier ones', async () => {
    const { h, rules } = await setup();
    valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }));
    const second = valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 1, rules: rules.slice(0, 1) }));
    expect([second.ruleSet.version, h.routingRules.history().map((s) => s.rules.length)]).toEqual([2, [2, 1]]);
    expect(h.outbox.ofType(OPS_EVENT_TYPES.routingRulesChanged).at(-1)?.data).toMatchObject({ version: 2, previousVersion: 1 });
  });

  it('changes nothing when the same rules are sent again, even with a stale version', async () => {
    const { h, rules } = await setup();
    valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }));
    const again = valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: [...rules].reverse() }));
    expect([again.changed, again.ruleSet.version, h.outbox.ofType(OPS_EVENT_TYPES.routingRulesChanged).length]).toEqual([false, 1, 1]);
  });

  it('changes nothing when an empty set replaces the empty set', async () => {
    const { h } = await setup();
    expect(valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: [] }))).toMatchObject({ changed: false, ruleSet: { version: 0 } });
  });

  it('refuses a stale expected version for different rules', async () => {
    const { h, rules } = await setup();
    valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }));
    expect(errorOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: rules.slice(1) }))).toMatchObject({ code: 'OPS.VERSION_CONFLICT', actualVersion: 1 });
  });

  it('refuses when another replacement lands between read and write', async () => {
    const { h, rules } = await setup();
    const replace = h.routingRules.replace.bind(h.routingRules);
    h.routingRules.replace = async (next, expected, events) => {
      await replace({ ...next, rules: [] }, expected, []);
      return replace(next, expected, events);
    };
    expect(errorOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }))).toMatchObject({ code: 'OPS.VERSION_CONFLICT', actualVersion: 1 });
  });

  it('refuses overlapping rules at one priority', async () => {
    const { h, roshan, awcc } = await setup();
    const rules: RoutingRuleInput[] = [
      { id: 'a', prefixes: ['93'], operatorId: roshan.id, priority: 1, weight: 1 },
      { id: 'b', prefixes: ['9379'], operatorId: awcc.id, priority: 1, weight: 1 },
    ];
    expect(errorOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules })).code).toBe('OPS.ROUTING_RULES_OVERLAP');
  });

  it('refuses invalid rules naming the field', async () => {
    const { h, roshan } = await setup();
    const error = errorOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: [{ id: 'a', prefixes: ['+93'], operatorId: roshan.id, priority: 1, weight: 0 }] }));
    expect(error).toMatchObject({ code: 'OPS.VALIDATION_FAILED', issues: [{ field: 'rules[0].prefixes[0]' }, { field: 'rules[0].weight' }] });
  });

  it('refuses rules naming an unknown or deleted operator, as target or failover', async () => {
    const { h, roshan } = await setup();
    const mtn = await givenOperator(h, 'mtn');
    valueOf(await h.softDeleteOperator.execute({ operatorId: mtn.id }));
    const rules: RoutingRuleInput[] = [
      { id: 'a', prefixes: ['9379'], operatorId: roshan.id, priority: 1, weight: 1, failover: [mtn.id, 'ghost'] },
      { id: 'b', prefixes: ['9377'], operatorId: mtn.id, priority: 1, weight: 1 },
    ];
    const error = errorOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }));
    expect(error).toMatchObject({
      code: 'OPS.ROUTING_OPERATOR_UNAVAILABLE',
      references: [
        { ruleId: 'a', operatorId: mtn.id, role: 'failover', reason: 'deleted' },
        { ruleId: 'a', operatorId: 'ghost', role: 'failover', reason: 'unknown' },
        { ruleId: 'b', operatorId: mtn.id, role: 'target', reason: 'deleted' },
      ],
    });
  });

  it('accepts a suspended operator as a target (routing skips it while suspended)', async () => {
    const { h, roshan } = await setup();
    valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { status: 'suspended' } }));
    expect((await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: [{ id: 'a', prefixes: ['9379'], operatorId: roshan.id, priority: 1, weight: 1 }] })).ok).toBe(true);
  });
});

describe('GetRoutingRules', () => {
  it('answers version 0 with no rules before the first replacement', async () => {
    expect(await harness().getRoutingRules.execute()).toEqual({ version: 0, rules: [], updatedAt: null });
  });

  it('answers the current version', async () => {
    const { h, rules } = await setup();
    valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules }));
    expect(await h.getRoutingRules.execute()).toMatchObject({ version: 1, updatedAt: '2026-04-18T12:00:00.000Z' });
  });
});
