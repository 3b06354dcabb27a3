import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingRule } from '../../src/index.js';
import { createRoutingWorld, eventually, startEngine } from '../support/engine-world.js';
import type { EngineInstance, RoutingWorld } from '../support/engine-world.js';
import { AWCC, connectionOf, ETISALAT, ROSHAN } from '../support/fixtures.js';
import { healthChanged, operatorChanged, operatorDeleted, rulesChanged } from '../support/ops-events.js';

const TENANT = 'tenant-a';
const rules: RoutingRule[] = [
  {
    id: 'roshan-own',
    prefixes: ['9372', '9379'],
    tenantId: null,
    senderTypes: null,
    timeWindow: null,
    operatorId: ROSHAN,
    priority: 10,
    weight: 1,
    failover: [AWCC, ETISALAT],
  },
  {
    id: 'awcc-own',
    prefixes: ['9370', '9371'],
    tenantId: null,
    senderTypes: null,
    timeWindow: null,
    operatorId: AWCC,
    priority: 10,
    weight: 1,
    failover: [],
  },
];

let world: RoutingWorld;
let engine: EngineInstance;
let token: string;

async function resolve(instance: EngineInstance, destination: string, bearer = token) {
  const response = await instance.app.inject({
    method: 'POST',
    url: '/v1/routes/resolve',
    headers: { authorization: `Bearer ${bearer}` },
    payload: { tenant_id: TENANT, message_id: '0196486e-2c00-7000-8000-000000000001', destination, sender: { kind: 'short_code', value: '4455' }, segments: 1 },
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

beforeAll(async () => {
  world = await createRoutingWorld('routing_engine');
  token = await world.signer.mint({ subject: 'sms-orchestrator', serviceName: 'sms-orchestrator' });
  engine = await startEngine(world);
  await world.publish(operatorChanged(ROSHAN, 'ROSHAN'));
  await world.publish(operatorChanged(AWCC, 'AWCC'));
  await world.publish(operatorChanged(ETISALAT, 'ETISALAT-AF'));
  await world.publish(healthChanged(ROSHAN, 'ROSHAN', 'up', '2026-04-18T12:00:00.000Z'));
  await world.publish(healthChanged(AWCC, 'AWCC', 'up', '2026-04-18T12:00:00.000Z'));
  await world.publish(healthChanged(ETISALAT, 'ETISALAT-AF', 'up', '2026-04-18T12:00:00.000Z'));
  await world.publish(rulesChanged(1, rules));
  await eventually(async () => expect((await resolve(engine, '+93791234567')).body.failover).toHaveLength(2));
});

afterAll(async () => {
  await engine.stop();
  await world.cleanup();
});

describe('routing engine on PostgreSQL and NATS', () => {
  it('answers with the operator and connection of the matching rule and its failover list', async () => {
    expect(await resolve(engine, '+93791234567')).toEqual({
      status: 200,
      body: {
        operator_id: ROSHAN,
        connection_id: connectionOf(ROSHAN),
        rule_id: 'roshan-own',
        via: 'rule',
        failover: [
          { operator_id: AWCC, connection_id: connectionOf(AWCC), rule_id: 'roshan-own', via: 'failover' },
          { operator_id: ETISALAT, connection_id: connectionOf(ETISALAT), rule_id: 'roshan-own', via: 'failover' },
        ],
        rule_set_version: 1,
      },
    });
  });

  it('answers 422 no route for a destination no rule covers', async () => {
    const { status, body } = await resolve(engine, '+93751234567');
    expect([status, body.code]).toEqual([422, 'ROUTING.NO_ROUTE']);
  });

  it('fails over to the next operator once the target is reported down', async () => {
    await world.publish(healthChanged(ROSHAN, 'ROSHAN', 'down', '2026-04-18T12:05:00.000Z', 'up'));
    await eventually(async () => expect((await resolve(engine, '+93791234567')).body.operator_id).toBe(AWCC));
  });

  it('answers the same after a restart on the same database, before any new event', async () => {
    await engine.stop();
    engine = await startEngine(world);
    const answer = await resolve(engine, '+93791234567');
    const consumed = await engine.registry.getSingleMetricAsString('routing_events_total');
    expect([answer.status, answer.body.operator_id, answer.body.rule_set_version, consumed.includes('outcome="applied"')]).toEqual([
      200,
      AWCC,
      1,
      false,
    ]);
  });

  it('ignores a rule set with the version it already holds', async () => {
    await world.publish(rulesChanged(1, []));
    await eventually(async () =>
      expect(await engine.registry.getSingleMetricAsString('routing_events_total')).toContain(
        'routing_events_total{type="ops.routing-rules.changed.v1",outcome="ignored"} 1',
      ),
    );
    expect((await resolve(engine, '+93791234567')).body.rule_set_version).toBe(1);
  });

  it('answers 503 no operator available when every operator of the matching rules is gone', async () => {
    await world.publish(operatorDeleted(AWCC, 'AWCC', 2));
    await world.publish(operatorChanged(ETISALAT, 'ETISALAT-AF', { version: 2, status: 'suspended' }));
    await eventually(async () => {
      const { status, body } = await resolve(engine, '+93791234567');
      expect([status, body.code]).toEqual([503, 'ROUTING.NO_OPERATOR_AVAILABLE']);
    });
  });

  it('takes a new rule set with a higher version', async () => {
    await world.publish(operatorChanged(ETISALAT, 'ETISALAT-AF', { version: 3 }));
    await world.publish(rulesChanged(2, [{ ...rules[0]!, id: 'to-etisalat', operatorId: ETISALAT, failover: [] }]));
    await eventually(async () => expect((await resolve(engine, '+93791234567')).body).toMatchObject({ operator_id: ETISALAT, rule_set_version: 2 }));
  });

  it('refuses a caller that is neither a service nor a platform administrator', async () => {
    const tenantToken = await world.signer.mint({ subject: 'someone', tenantId: TENANT, roles: ['tenant-admin'] });
    const { status, body } = await resolve(engine, '+93791234567', tenantToken);
    expect([status, body.code]).toEqual([403, 'ROUTING.FORBIDDEN']);
  });

  it('refuses a request without a token', async () => {
    const response = await engine.app.inject({ method: 'POST', url: '/v1/routes/resolve', payload: { tenant_id: TENANT, destination: '+93791234567', sender: { kind: 'msisdn' } } });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a malformed destination with a 400 naming the field', async () => {
    const { status, body } = await resolve(engine, '0791234567');
    expect([status, (body.errors as { field: string }[]).map((e) => e.field)]).toEqual([400, ['body.destination']]);
  });

  it('counts decisions by outcome and records their latency', async () => {
    await resolve(engine, '+93791234567');
    const metrics = await engine.registry.metrics();
    expect([metrics.includes('routing_decisions_total{outcome="route",via="rule"}'), metrics.includes('routing_decision_duration_seconds_bucket')]).toEqual([
      true,
      true,
    ]);
  });

  it('reports the table as loaded in readiness', async () => {
    const response = await engine.app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.json<{ checks: { name: string; status: string }[] }>().checks).toContainEqual(expect.objectContaining({ name: 'routing-table', status: 'up' }));
  });
});
