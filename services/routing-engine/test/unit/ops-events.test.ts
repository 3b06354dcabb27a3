import { describe, expect, it } from 'vitest';
import { operatorManagementEvents } from '@sms/contracts';
import { CONSUMED_EVENT_TYPES, parseOpsEvent } from '../../src/adapters/bus/ops-events.js';

const exampleOf = (type: string): unknown => operatorManagementEvents.find((contract) => contract.type === type)?.example;

describe('operator-management events as the routing engine reads them', () => {
  it.each(CONSUMED_EVENT_TYPES)('accepts the contract example of %s', (type) => {
    expect(parseOpsEvent(type, exampleOf(type)).ok).toBe(true);
  });

  it('consumes every event type operator-management produces', () => {
    expect([...CONSUMED_EVENT_TYPES].sort()).toEqual(operatorManagementEvents.map((contract) => contract.type).sort());
  });

  it('reads a rule set with its version, rules and time', () => {
    const parsed = parseOpsEvent('ops.routing-rules.changed.v1', exampleOf('ops.routing-rules.changed.v1'));
    expect(parsed.ok && parsed.change.kind === 'rule-set' ? [parsed.change.ruleSet.version, parsed.change.ruleSet.rules.length, parsed.change.ruleSet.changedAt.toISOString()] : null).toEqual([
      4,
      2,
      '2026-04-18T12:30:00.000Z',
    ]);
  });

  it('reads a deletion as an operator snapshot with status deleted and no connections', () => {
    const parsed = parseOpsEvent('ops.operator.deleted.v1', exampleOf('ops.operator.deleted.v1'));
    expect(parsed.ok && parsed.change.kind === 'operator' ? parsed.change.operator : null).toEqual({
      id: '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a02',
      code: 'AWCC',
      status: 'deleted',
      version: 12,
      connections: [],
    });
  });

  it('keeps only what routing needs from an operator snapshot', () => {
    const parsed = parseOpsEvent('ops.operator.changed.v1', exampleOf('ops.operator.changed.v1'));
    expect(parsed.ok && parsed.change.kind === 'operator' ? parsed.change.operator.connections : null).toEqual([
      { id: '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2b01', bindMode: 'transceiver', throughputLimit: 200 },
    ]);
  });

  it('refuses a rule set whose rule names no operator, naming the field', () => {
    const parsed = parseOpsEvent('ops.routing-rules.changed.v1', {
      version: 2,
      previousVersion: 1,
      changedAt: '2026-04-18T12:30:00.000Z',
      rules: [{ id: 'r', prefixes: ['93'], tenantId: null, senderTypes: null, timeWindow: null, priority: 1, weight: 1, failover: [] }],
    });
    expect(parsed.ok ? null : parsed.reason).toContain('rules.0.operatorId');
  });

  it('refuses a health change with an unknown state', () => {
    expect(parseOpsEvent('ops.operator-health.changed.v1', { operatorId: '01966a4e-6b1a-7c3e-9a53-6f1f3b0d2a01', state: 'sideways', connections: [], changedAt: '2026-04-18T12:00:00Z' }).ok).toBe(false);
  });

  it('refuses an event type it does not consume', () => {
    expect(parseOpsEvent('ops.something.else.v1', {})).toEqual({ ok: false, reason: 'the routing engine does not consume ops.something.else.v1' });
  });
});
