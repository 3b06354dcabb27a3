import { describe, expect, it } from 'vitest';
import { RoutingProjection } from '../../src/index.js';
import { InMemoryRoutingStateRepository } from '../../src/application/testing/in-memory-routing-state.repository.js';
import { AWCC, health, operator, ROSHAN, rule, ruleSet, sequence, TUESDAY_10_KABUL } from '../support/fixtures.js';

const query = { destination: '+93791234567', tenantId: 'tenant-a', senderType: 'msisdn' as const };

function routeOf(projection: RoutingProjection): string | null {
  const decision = projection.current()?.resolve(query, TUESDAY_10_KABUL, sequence(0));
  return decision?.outcome === 'route' ? decision.target.operatorId : null;
}

describe('routing projection', () => {
  it('has no table before a rule set arrives', async () => {
    const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
    await projection.applyOperator(operator(ROSHAN));
    expect(projection.isLoaded()).toBe(false);
  });

  it('builds the table when a rule set arrives', async () => {
    const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
    await projection.applyOperator(operator(ROSHAN));
    await projection.applyHealth(health(ROSHAN, 'up'));
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })]));
    expect(routeOf(projection)).toBe(ROSHAN);
  });

  it('replaces the rule set with a higher version', async () => {
    const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
    await projection.applyOperator(operator(ROSHAN));
    await projection.applyOperator(operator(AWCC));
    await projection.applyHealth(health(AWCC, 'up'));
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })], 1));
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: AWCC })], 2));
    expect(routeOf(projection)).toBe(AWCC);
  });

  it('ignores a rule set whose version it already has or passed', async () => {
    const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
    await projection.applyOperator(operator(ROSHAN));
    await projection.applyOperator(operator(AWCC));
    await projection.applyHealth(health(ROSHAN, 'up'));
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })], 2));
    const outcome = await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: AWCC })], 1));
    expect([outcome, routeOf(projection)]).toEqual(['ignored', ROSHAN]);
  });

  it('ignores an operator snapshot older than the one it holds', async () => {
    const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })]));
    await projection.applyHealth(health(ROSHAN, 'up'));
    await projection.applyOperator(operator(ROSHAN, { version: 3, status: 'suspended' }));
    await projection.applyOperator(operator(ROSHAN, { version: 2, status: 'active' }));
    expect(routeOf(projection)).toBeNull();
  });

  it('ignores a health change older than the one it holds', async () => {
    const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
    await projection.applyOperator(operator(ROSHAN));
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })]));
    await projection.applyHealth(health(ROSHAN, 'down', { changedAt: new Date('2026-04-18T12:00:02Z') }));
    await projection.applyHealth(health(ROSHAN, 'up', { changedAt: new Date('2026-04-18T12:00:01Z') }));
    expect(routeOf(projection)).toBeNull();
  });

  it('answers as before after a reload into a new projection over the same repository', async () => {
    const repository = new InMemoryRoutingStateRepository();
    const first = new RoutingProjection(repository);
    await first.applyOperator(operator(ROSHAN));
    await first.applyOperator(operator(AWCC));
    await first.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN, failover: [AWCC] })]));
    await first.applyHealth(health(ROSHAN, 'down'));
    await first.applyHealth(health(AWCC, 'up'));
    const restarted = new RoutingProjection(repository);
    await restarted.reload();
    expect(routeOf(restarted)).toBe(AWCC);
  });

  it('keeps newer state from memory when the repository holds older', async () => {
    const projection = new RoutingProjection(new InMemoryRoutingStateRepository());
    await projection.applyOperator(operator(ROSHAN));
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })], 5));
    await projection.reload();
    expect(projection.ruleSetVersion()).toBe(5);
  });

  it('follows a change in memory even when saving it fails, and rethrows so the event is redelivered', async () => {
    const repository = new InMemoryRoutingStateRepository();
    const projection = new RoutingProjection(repository);
    repository.failWith = new Error('database down');
    const applying = projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })]));
    await expect(applying).rejects.toThrow('database down');
    expect(projection.ruleSetVersion()).toBe(1);
  });

  it('stores a change on redelivery after memory already has it', async () => {
    const repository = new InMemoryRoutingStateRepository();
    const projection = new RoutingProjection(repository);
    repository.failWith = new Error('database down');
    await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })])).catch(() => undefined);
    repository.failWith = null;
    const outcome = await projection.applyRuleSet(ruleSet([rule({ id: 'r', operatorId: ROSHAN })]));
    expect([outcome, (await repository.load()).ruleSet?.version]).toEqual(['applied', 1]);
  });
});
