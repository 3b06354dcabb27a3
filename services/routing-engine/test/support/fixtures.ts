import type { OperatorHealth, OperatorSnapshot, RoutingRule, RuleSet } from '../../src/index.js';

export const ROSHAN = '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a01';
export const AWCC = '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a02';
export const ETISALAT = '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a03';
export const MTN = '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a04';

/** Connection ids: the operator id with its last four hex digits replaced by `2b` and a number. */
export const connectionOf = (operatorId: string, n = 1): string =>
  `${operatorId.slice(0, 32)}2b${n.toString().padStart(2, '0')}`;

export function rule(overrides: Partial<RoutingRule> & Pick<RoutingRule, 'id' | 'operatorId'>): RoutingRule {
  return {
    prefixes: ['9379'],
    tenantId: null,
    senderTypes: null,
    timeWindow: null,
    priority: 10,
    weight: 1,
    failover: [],
    ...overrides,
  };
}

export function ruleSet(rules: readonly RoutingRule[], version = 1): RuleSet {
  return { version, rules, changedAt: new Date('2026-04-18T12:00:00.000Z') };
}

export function operator(id: string, overrides: Partial<OperatorSnapshot> = {}): OperatorSnapshot {
  return {
    id,
    code: `OP-${id.slice(-2)}`,
    status: 'active',
    connections: [{ id: connectionOf(id), bindMode: 'transceiver', throughputLimit: 100 }],
    version: 1,
    ...overrides,
  };
}

export function health(operatorId: string, state: OperatorHealth['state'], overrides: Partial<OperatorHealth> = {}): OperatorHealth {
  return {
    operatorId,
    state,
    connections: [],
    changedAt: new Date('2026-04-18T12:00:00.000Z'),
    ...overrides,
  };
}

export const operatorsOf = (...snapshots: OperatorSnapshot[]): Map<string, OperatorSnapshot> =>
  new Map(snapshots.map((snapshot) => [snapshot.id, snapshot]));

export const healthOf = (...entries: OperatorHealth[]): Map<string, OperatorHealth> =>
  new Map(entries.map((entry) => [entry.operatorId, entry]));

/** A random source returning the given values in turn (then the last one again). */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => {
    const value = values[Math.min(i, values.length - 1)] ?? 0;
    i += 1;
    return value;
  };
}

/** A seeded pseudo-random source (mulberry32), for statistical tests that must not be flaky. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Tuesday, 10:00 in Kabul (UTC+4:30). */
export const TUESDAY_10_KABUL = new Date('2026-04-21T05:30:00.000Z');
