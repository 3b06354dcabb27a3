import { describe, expect, it } from 'vitest';
import { ManualClock } from '@sms/kernel';
import { ResolveRoute, RoutingProjection } from '../../src/index.js';
import { InMemoryRoutingStateRepository } from '../../src/application/testing/in-memory-routing-state.repository.js';
import { AWCC, connectionOf, health, operator, ROSHAN, rule, ruleSet, sequence, TUESDAY_10_KABUL } from '../support/fixtures.js';

const query = { destination: '+93791234567', tenantId: 'tenant-a', senderType: 'short_code' as const };
const nightOnly = { days: ['mon' as const, 'tue' as const, 'wed' as const, 'thu' as const, 'fri' as const, 'sat' as const, 'sun' as const], start: '22:00', end: '06:00', timezone: 'Asia/Kabul' };

async function world() {
  const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
  await projection.applyOperator(operator(ROSHAN));
  await projection.applyOperator(operator(AWCC));
  await projection.applyHealth(health(ROSHAN, 'up'));
  await projection.applyHealth(health(AWCC, 'up'));
  const clock = new ManualClock(TUESDAY_10_KABUL);
  return { projection, clock, resolve: new ResolveRoute({ tables: projection, clock, random: sequence(0) }) };
}

describe('resolve route', () => {
  it('refuses while no rule set is loaded', async () => {
    const { resolve } = await world();
    expect(resolve.execute(query)).toEqual({ ok: false, error: { code: 'ROUTING.TABLE_NOT_LOADED' } });
  });

  it('answers the operator, connection, rule and failover', async () => {
    const { projection, resolve } = await world();
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN, failover: [AWCC] })], 4));
    expect(resolve.execute(query)).toEqual({
      ok: true,
      value: {
        operatorId: ROSHAN,
        connectionId: connectionOf(ROSHAN),
        ruleId: 'r',
        via: 'rule',
        failover: [{ operatorId: AWCC, connectionId: connectionOf(AWCC), ruleId: 'r', via: 'failover' }],
        ruleSetVersion: 4,
        skipped: [],
      },
    });
  });

  it('refuses with no route when no rule matches', async () => {
    const { projection, resolve } = await world();
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: AWCC, prefixes: ['9370'] })]));
    expect(resolve.execute(query)).toEqual({ ok: false, error: { code: 'ROUTING.NO_ROUTE', ruleSetVersion: 1 } });
  });

  it('refuses with no operator available when every matching operator is down', async () => {
    const { projection, resolve } = await world();
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })]));
    await projection.applyHealth(health(ROSHAN, 'down', { changedAt: new Date('2026-04-18T12:01:00.000Z') }));
    const result = resolve.execute(query);
    expect(result.ok ? null : result.error.code).toBe('ROUTING.NO_OPERATOR_AVAILABLE');
  });

  it('routes for the clock time when no instant is given', async () => {
    const { projection, resolve, clock } = await world();
    await projection.applyRuleSet(ruleSet([rule({ id: 'night', operatorId: ROSHAN, timeWindow: nightOnly })]));
    clock.set(new Date('2026-04-21T18:30:00.000Z')); // 23:00 in Kabul
    expect(resolve.execute(query).ok).toBe(true);
  });

  it('routes for the given instant instead of the clock', async () => {
    const { projection, resolve } = await world();
    await projection.applyRuleSet(ruleSet([rule({ id: 'night', operatorId: ROSHAN, timeWindow: nightOnly })]));
    expect(resolve.execute({ ...query, at: new Date('2026-04-21T18:30:00.000Z') }).ok).toBe(true);
  });
});
