import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEALTH_THRESHOLDS,
  deriveOperatorHealth,
  healthReportIssues,
  type ConnectionHealth,
  type ConnectionHealthReport,
} from '../../../src/index.js';

const now = new Date('2026-04-18T12:00:00.000Z');
const secondsAgo = (s: number): Date => new Date(now.getTime() - s * 1000);

const healthy = (overrides: Partial<ConnectionHealth> = {}): ConnectionHealth => ({
  connectionId: 'c-1',
  bindState: 'bound',
  latencyMs: 120,
  errorRate: 0.001,
  throughputPerSecond: 80,
  at: secondsAgo(5),
  ...overrides,
});

const trx = (id: string) => ({ id, bindMode: 'transceiver' as const });
const derive = (configured: { id: string; bindMode: 'transceiver' | 'transmitter' | 'receiver' }[], reports: Record<string, ConnectionHealth>) =>
  deriveOperatorHealth(configured, new Map(Object.entries(reports)), now);

describe('deriveOperatorHealth', () => {
  it('is up when every connection is bound, fresh and within thresholds', () => {
    expect(derive([trx('c-1'), trx('c-2')], { 'c-1': healthy(), 'c-2': healthy({ connectionId: 'c-2' }) }).state).toBe('up');
  });

  it('is up at exactly the thresholds (they are exclusive)', () => {
    const atLimit = healthy({ errorRate: DEFAULT_HEALTH_THRESHOLDS.degradedErrorRate, latencyMs: DEFAULT_HEALTH_THRESHOLDS.degradedLatencyMs });
    expect(derive([trx('c-1')], { 'c-1': atLimit }).state).toBe('up');
  });

  it('is degraded when a bound connection has an error rate above 5 %', () => {
    const result = derive([trx('c-1')], { 'c-1': healthy({ errorRate: 0.06 }) });
    expect(result).toEqual({ state: 'degraded', reason: 'connection c-1 error rate 0.06 > 0.05' });
  });

  it('is degraded when a bound connection has latency above 2000 ms', () => {
    expect(derive([trx('c-1')], { 'c-1': healthy({ latencyMs: 2001 }) }).state).toBe('degraded');
  });

  it('is degraded when one of two connections is unbound', () => {
    expect(derive([trx('c-1'), trx('c-2')], { 'c-1': healthy(), 'c-2': healthy({ bindState: 'unbound' }) }).state).toBe('degraded');
  });

  it('is degraded when one of two connections never reported', () => {
    expect(derive([trx('c-1'), trx('c-2')], { 'c-1': healthy() }).reason).toBe('connection c-2 has not reported');
  });

  it('is down when every bind is unbound or binding', () => {
    const result = derive([trx('c-1'), trx('c-2')], { 'c-1': healthy({ bindState: 'unbound' }), 'c-2': healthy({ bindState: 'binding' }) });
    expect(result.state).toBe('down');
    expect(result.reason).toContain('no transmit connection is bound');
  });

  it('is down when the only report is older than 90 s', () => {
    const result = derive([trx('c-1')], { 'c-1': healthy({ at: secondsAgo(91) }) });
    expect([result.state, result.reason]).toEqual(['down', 'no transmit connection is bound: connection c-1 has not reported for more than 90 s']);
  });

  it('still counts a report exactly 90 s old as fresh', () => {
    expect(derive([trx('c-1')], { 'c-1': healthy({ at: secondsAgo(90) }) }).state).toBe('up');
  });

  it('is down when every bound connection fails half of its submits or more', () => {
    const result = derive([trx('c-1')], { 'c-1': healthy({ errorRate: 0.5 }) });
    expect([result.state, result.reason]).toEqual(['down', 'no usable transmit connection: connection c-1 error rate 0.5 ≥ 0.5']);
  });

  it('is down when only receiver binds are bound, since they cannot submit', () => {
    const result = derive([{ id: 'c-1', bindMode: 'receiver' }], { 'c-1': healthy() });
    expect([result.state, result.reason]).toEqual(['down', 'no transmit connection is bound: only receiver binds are bound, and they cannot submit']);
  });

  it('is up with a bound transmitter and a bound receiver', () => {
    const configured = [{ id: 'tx', bindMode: 'transmitter' as const }, { id: 'rx', bindMode: 'receiver' as const }];
    expect(derive(configured, { tx: healthy(), rx: healthy() }).state).toBe('up');
  });

  it('is down for an operator without connections', () => {
    expect(derive([], {})).toEqual({ state: 'down', reason: 'the operator has no connections' });
  });

  it('uses the thresholds it is given', () => {
    const strict = { ...DEFAULT_HEALTH_THRESHOLDS, degradedLatencyMs: 100 };
    expect(deriveOperatorHealth([trx('c-1')], new Map([['c-1', healthy()]]), now, strict).state).toBe('degraded');
  });
});

describe('healthReportIssues', () => {
  const report = (overrides: Partial<ConnectionHealthReport> = {}): ConnectionHealthReport => ({
    operatorId: 'op-1',
    ...healthy(),
    ...overrides,
  });

  it('accepts a plausible report', () => {
    expect(healthReportIssues(report(), now)).toEqual([]);
  });

  it.each([
    ['an empty operator id', { operatorId: '' }, 'operatorId'],
    ['an empty connection id', { connectionId: '' }, 'connectionId'],
    ['an unknown bind state', { bindState: 'open' as 'bound' }, 'bindState'],
    ['a negative latency', { latencyMs: -1 }, 'latencyMs'],
    ['an infinite latency', { latencyMs: Number.POSITIVE_INFINITY }, 'latencyMs'],
    ['an error rate above 1', { errorRate: 1.01 }, 'errorRate'],
    ['a negative error rate', { errorRate: -0.1 }, 'errorRate'],
    ['a NaN throughput', { throughputPerSecond: Number.NaN }, 'throughputPerSecond'],
    ['an invalid instant', { at: new Date('not a date') }, 'at'],
    ['an instant more than five minutes ahead', { at: new Date(now.getTime() + 5 * 60_000 + 1) }, 'at'],
  ])('refuses %s', (_label, overrides, field) => {
    expect(healthReportIssues(report(overrides as Partial<ConnectionHealthReport>), now).map((i) => i.field)).toEqual([field]);
  });

  it('accepts an instant up to five minutes ahead (clock skew)', () => {
    expect(healthReportIssues(report({ at: new Date(now.getTime() + 5 * 60_000) }), now)).toEqual([]);
  });
});
