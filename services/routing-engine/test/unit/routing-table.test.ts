import { describe, expect, it } from 'vitest';
import { RoutingTable, weightedOrder } from '../../src/index.js';
import type { OperatorHealth, OperatorSnapshot, RouteQuery, RoutingRule } from '../../src/index.js';
import {
  AWCC,
  connectionOf,
  ETISALAT,
  health,
  healthOf,
  MTN,
  operator,
  operatorsOf,
  ROSHAN,
  rule,
  ruleSet,
  seeded,
  sequence,
  TUESDAY_10_KABUL,
} from '../support/fixtures.js';

const query: RouteQuery = { destination: '+93791234567', tenantId: 'tenant-a', senderType: 'short_code' };
const allOperators = operatorsOf(operator(ROSHAN), operator(AWCC), operator(ETISALAT), operator(MTN));

const allUp = healthOf(health(ROSHAN, 'up'), health(AWCC, 'up'), health(ETISALAT, 'up'), health(MTN, 'up'));

/** A table where every operator is up unless `healthChanges` says otherwise. */
function tableOf(
  rules: readonly RoutingRule[],
  operators: Map<string, OperatorSnapshot> = allOperators,
  healthChanges: Map<string, OperatorHealth> = new Map(),
): RoutingTable {
  return RoutingTable.build(ruleSet(rules), operators, new Map([...allUp, ...healthChanges]));
}

function chosen(table: RoutingTable, q: RouteQuery = query, random = sequence(0)): string | null {
  const decision = table.resolve(q, TUESDAY_10_KABUL, random);
  return decision.outcome === 'route' ? decision.target.operatorId : null;
}

describe('routing table: prefixes', () => {
  it('routes a destination to the operator of the rule whose prefix matches', () => {
    expect(chosen(tableOf([rule({ id: 'roshan', operatorId: ROSHAN })]))).toBe(ROSHAN);
  });

  it('accepts a destination written without the plus sign', () => {
    expect(chosen(tableOf([rule({ id: 'roshan', operatorId: ROSHAN })]), { ...query, destination: '93791234567' })).toBe(ROSHAN);
  });

  it('answers no route when no prefix matches the destination', () => {
    const decision = tableOf([rule({ id: 'awcc', operatorId: AWCC, prefixes: ['9370'] })]).resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision).toEqual({ outcome: 'no-route', ruleSetVersion: 1 });
  });

  it('prefers the rule with the longest matching prefix over a shorter one of better priority', () => {
    const table = tableOf([
      rule({ id: 'country', operatorId: AWCC, prefixes: ['93'], priority: 1 }),
      rule({ id: 'roshan', operatorId: ROSHAN, prefixes: ['9379'], priority: 50 }),
    ]);
    expect(chosen(table)).toBe(ROSHAN);
  });

  it('falls back to a shorter matching prefix when the longer one has no usable operator', () => {
    const table = tableOf(
      [rule({ id: 'country', operatorId: AWCC, prefixes: ['93'] }), rule({ id: 'roshan', operatorId: ROSHAN, prefixes: ['9379'] })],
      allOperators,
      healthOf(health(ROSHAN, 'down')),
    );
    expect(chosen(table)).toBe(AWCC);
  });

  it('does not match a prefix longer than the destination', () => {
    expect(chosen(tableOf([rule({ id: 'long', operatorId: ROSHAN, prefixes: ['937912345678'] })]), { ...query, destination: '+9379' })).toBeNull();
  });
});

describe('routing table: filters', () => {
  it('applies a tenant rule to that tenant', () => {
    expect(chosen(tableOf([rule({ id: 't', operatorId: ROSHAN, tenantId: 'tenant-a' })]))).toBe(ROSHAN);
  });

  it('does not apply a tenant rule to another tenant', () => {
    expect(chosen(tableOf([rule({ id: 't', operatorId: ROSHAN, tenantId: 'tenant-b' })]))).toBeNull();
  });

  it('applies a rule to a listed sender type', () => {
    expect(chosen(tableOf([rule({ id: 's', operatorId: ROSHAN, senderTypes: ['msisdn', 'short_code'] })]))).toBe(ROSHAN);
  });

  it('does not apply a rule to a sender type it does not list', () => {
    expect(chosen(tableOf([rule({ id: 's', operatorId: ROSHAN, senderTypes: ['alphanumeric'] })]))).toBeNull();
  });

  it('applies a rule inside its time window', () => {
    const timeWindow = { days: ['tue' as const], start: '09:00', end: '11:00', timezone: 'Asia/Kabul' };
    expect(chosen(tableOf([rule({ id: 'w', operatorId: ROSHAN, timeWindow })]))).toBe(ROSHAN);
  });

  it('does not apply a rule outside its time window', () => {
    const timeWindow = { days: ['tue' as const], start: '22:00', end: '06:00', timezone: 'Asia/Kabul' };
    expect(chosen(tableOf([rule({ id: 'w', operatorId: ROSHAN, timeWindow })]))).toBeNull();
  });

  it('uses a more general rule when a specific one is filtered out', () => {
    const table = tableOf([
      rule({ id: 'tenant-b-only', operatorId: AWCC, tenantId: 'tenant-b', priority: 1 }),
      rule({ id: 'everyone', operatorId: ROSHAN, priority: 10 }),
    ]);
    expect(chosen(table)).toBe(ROSHAN);
  });
});

describe('routing table: priority, weight and health', () => {
  it('tries the lower priority number first', () => {
    const table = tableOf([rule({ id: 'second', operatorId: AWCC, priority: 20 }), rule({ id: 'first', operatorId: ROSHAN, priority: 10 })]);
    expect(chosen(table)).toBe(ROSHAN);
  });

  it('falls back to the next priority when the first operator is down', () => {
    const table = tableOf(
      [rule({ id: 'second', operatorId: AWCC, priority: 20 }), rule({ id: 'first', operatorId: ROSHAN, priority: 10 })],
      allOperators,
      healthOf(health(ROSHAN, 'down')),
    );
    expect(chosen(table)).toBe(AWCC);
  });

  it('draws among rules of equal priority by weight', () => {
    const rules = [rule({ id: 'a', operatorId: ROSHAN, weight: 1 }), rule({ id: 'b', operatorId: AWCC, weight: 3 })];
    // Cumulative weights over [0, 4): ROSHAN for [0, 1), AWCC for [1, 4).
    expect([chosen(tableOf(rules), query, sequence(0.2)), chosen(tableOf(rules), query, sequence(0.3))]).toEqual([ROSHAN, AWCC]);
  });

  it('honours weights statistically over many decisions', () => {
    const table = tableOf([rule({ id: 'a', operatorId: ROSHAN, weight: 1 }), rule({ id: 'b', operatorId: AWCC, weight: 3 })]);
    const random = seeded(42);
    let awcc = 0;
    for (let i = 0; i < 20_000; i += 1) if (chosen(table, query, random) === AWCC) awcc += 1;
    expect(awcc / 20_000).toBeCloseTo(0.75, 1);
  });

  it('puts an operator that is up before a degraded one of the same tier, whatever the draw', () => {
    const table = tableOf(
      [rule({ id: 'a', operatorId: ROSHAN, weight: 1000 }), rule({ id: 'b', operatorId: AWCC, weight: 1 })],
      allOperators,
      healthOf(health(ROSHAN, 'degraded'), health(AWCC, 'up')),
    );
    expect(chosen(table, query, sequence(0))).toBe(AWCC);
  });

  it('keeps a degraded operator as the answer when it is the only one of its tier', () => {
    const table = tableOf(
      [rule({ id: 'a', operatorId: ROSHAN, failover: [AWCC] })],
      allOperators,
      healthOf(health(ROSHAN, 'degraded'), health(AWCC, 'up')),
    );
    expect(chosen(table)).toBe(ROSHAN);
  });

  it('skips an operator with no health report yet', () => {
    const table = RoutingTable.build(
      ruleSet([rule({ id: 'a', operatorId: ROSHAN, failover: [AWCC] })]),
      allOperators,
      healthOf(health(AWCC, 'up')),
    );
    const decision = table.resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision.outcome === 'route' ? [decision.target.operatorId, decision.skipped] : null).toEqual([
      AWCC,
      [{ operatorId: ROSHAN, reason: 'no-health-report' }],
    ]);
  });
});

describe('routing table: failover', () => {
  it('lists the rule failover operators after the target, in the rule order', () => {
    const decision = tableOf([rule({ id: 'r', operatorId: ROSHAN, failover: [MTN, AWCC] })]).resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision.outcome === 'route' ? decision.failover.map((t) => [t.operatorId, t.via]) : null).toEqual([
      [MTN, 'failover'],
      [AWCC, 'failover'],
    ]);
  });

  it('answers with the first failover operator when the target is down', () => {
    const table = tableOf([rule({ id: 'r', operatorId: ROSHAN, failover: [MTN, AWCC] })], allOperators, healthOf(health(ROSHAN, 'down')));
    const decision = table.resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision.outcome === 'route' ? [decision.target.operatorId, decision.target.ruleId, decision.target.via] : null).toEqual([
      MTN,
      'r',
      'failover',
    ]);
  });

  it('skips a down failover operator and reports why', () => {
    const table = tableOf(
      [rule({ id: 'r', operatorId: ROSHAN, failover: [MTN, AWCC] })],
      allOperators,
      healthOf(health(ROSHAN, 'down'), health(MTN, 'down')),
    );
    const decision = table.resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision.outcome === 'route' ? [decision.target.operatorId, decision.skipped] : null).toEqual([
      AWCC,
      [
        { operatorId: ROSHAN, reason: 'down' },
        { operatorId: MTN, reason: 'down' },
      ],
    ]);
  });

  it('tries every operator of a tier before the failover lists of its rules', () => {
    const table = tableOf([
      rule({ id: 'a', operatorId: ROSHAN, weight: 1, failover: [MTN] }),
      rule({ id: 'b', operatorId: AWCC, weight: 1, failover: [ETISALAT] }),
    ]);
    const decision = table.resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision.outcome === 'route' ? [decision.target.operatorId, ...decision.failover.map((t) => t.operatorId)] : null).toEqual([
      ROSHAN,
      AWCC,
      MTN,
      ETISALAT,
    ]);
  });

  it('names an operator only once even when several rules list it', () => {
    const table = tableOf([
      rule({ id: 'a', operatorId: ROSHAN, priority: 10, failover: [AWCC] }),
      rule({ id: 'b', operatorId: AWCC, priority: 20, failover: [ROSHAN] }),
    ]);
    const decision = table.resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision.outcome === 'route' ? decision.failover.map((t) => t.operatorId) : null).toEqual([AWCC]);
  });

  it('answers unavailable when every operator named by matching rules is down', () => {
    const table = tableOf([rule({ id: 'r', operatorId: ROSHAN, failover: [AWCC] })], allOperators, healthOf(health(ROSHAN, 'down'), health(AWCC, 'down')));
    expect(table.resolve(query, TUESDAY_10_KABUL, sequence(0)).outcome).toBe('unavailable');
  });
});

describe('routing table: operators', () => {
  const skippedFor = (operators: Map<string, OperatorSnapshot>): unknown => {
    const decision = tableOf([rule({ id: 'r', operatorId: ROSHAN })], operators).resolve(query, TUESDAY_10_KABUL, sequence(0));
    return decision.outcome === 'unavailable' ? decision.skipped : decision.outcome;
  };

  it('skips a suspended operator', () => {
    expect(skippedFor(operatorsOf(operator(ROSHAN, { status: 'suspended' })))).toEqual([{ operatorId: ROSHAN, reason: 'suspended' }]);
  });

  it('skips a deleted operator', () => {
    expect(skippedFor(operatorsOf(operator(ROSHAN, { status: 'deleted', connections: [] })))).toEqual([{ operatorId: ROSHAN, reason: 'deleted' }]);
  });

  it('skips an operator it has never heard of', () => {
    expect(skippedFor(new Map())).toEqual([{ operatorId: ROSHAN, reason: 'unknown-operator' }]);
  });

  it('skips an operator whose only connections are receiver binds', () => {
    const receiverOnly = operator(ROSHAN, { connections: [{ id: connectionOf(ROSHAN), bindMode: 'receiver', throughputLimit: 10 }] });
    expect(skippedFor(operatorsOf(receiverOnly))).toEqual([{ operatorId: ROSHAN, reason: 'no-submit-connection' }]);
  });

  it('chooses a connection that health reports bound', () => {
    const twoConnections = operator(ROSHAN, {
      connections: [
        { id: connectionOf(ROSHAN, 1), bindMode: 'transceiver', throughputLimit: 100 },
        { id: connectionOf(ROSHAN, 2), bindMode: 'transmitter', throughputLimit: 100 },
      ],
    });
    const reported = health(ROSHAN, 'degraded', {
      connections: [
        { connectionId: connectionOf(ROSHAN, 1), bindState: 'unbound', errorRate: 0 },
        { connectionId: connectionOf(ROSHAN, 2), bindState: 'bound', errorRate: 0 },
      ],
    });
    const decision = tableOf([rule({ id: 'r', operatorId: ROSHAN })], operatorsOf(twoConnections), healthOf(reported)).resolve(
      query,
      TUESDAY_10_KABUL,
      sequence(0),
    );
    expect(decision.outcome === 'route' ? decision.target.connectionId : null).toBe(connectionOf(ROSHAN, 2));
  });

  it('spreads messages over bound connections by their throughput limit', () => {
    const twoConnections = operator(ROSHAN, {
      connections: [
        { id: connectionOf(ROSHAN, 1), bindMode: 'transceiver', throughputLimit: 100 },
        { id: connectionOf(ROSHAN, 2), bindMode: 'transceiver', throughputLimit: 300 },
      ],
    });
    const decision = tableOf([rule({ id: 'r', operatorId: ROSHAN })], operatorsOf(twoConnections)).resolve(query, TUESDAY_10_KABUL, sequence(0.5));
    expect(decision.outcome === 'route' ? decision.target.connectionId : null).toBe(connectionOf(ROSHAN, 2));
  });

  it('uses any connection able to submit when health names none of them bound', () => {
    const reported = health(ROSHAN, 'up', { connections: [{ connectionId: connectionOf(AWCC, 9), bindState: 'bound', errorRate: 0 }] });
    const decision = tableOf([rule({ id: 'r', operatorId: ROSHAN })], allOperators, healthOf(reported)).resolve(query, TUESDAY_10_KABUL, sequence(0));
    expect(decision.outcome === 'route' ? decision.target.connectionId : null).toBe(connectionOf(ROSHAN));
  });
});

describe('weighted order', () => {
  it('returns a single item without drawing', () => {
    let draws = 0;
    weightedOrder([{ weight: 5 }], () => {
      draws += 1;
      return 0;
    });
    expect(draws).toBe(0);
  });

  it('orders every item once', () => {
    const items = [{ weight: 1, n: 1 }, { weight: 2, n: 2 }, { weight: 3, n: 3 }];
    expect(weightedOrder(items, seeded(7)).map((item) => item.n).sort()).toEqual([1, 2, 3]);
  });

  it('takes the last item when the random source returns its upper bound', () => {
    expect(weightedOrder([{ weight: 1, n: 1 }, { weight: 1, n: 2 }], sequence(1))[0]?.n).toBe(2);
  });
});
