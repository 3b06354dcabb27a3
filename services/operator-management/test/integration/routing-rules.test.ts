import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventValidator } from '@sms/contracts';
import { auth, eventually, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { createOperatorOver, operatorBody, type OperatorJson } from '../support/requests.js';

let s: OpsServiceFixture;
let roshan: OperatorJson;
let awcc: OperatorJson;

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_routing' });
  roshan = await createOperatorOver(s, operatorBody('roshan'));
  awcc = await createOperatorOver(s, operatorBody('awcc'));
});

afterAll(async () => {
  await s.stop();
});

const put = (payload: object, token = s.tokens.admin) =>
  s.app.inject({ method: 'PUT', url: '/v1/routing-rules', headers: auth(token), payload });

const current = async () => (await s.app.inject({ method: 'GET', url: '/v1/routing-rules', headers: auth(s.tokens.reader) })).json<{ version: number }>();

describe('routing-rules', () => {
  it('stores a valid rule set as version 1 and publishes the whole set, conforming to its schema', async () => {
    const rules = [
      { id: 'roshan-default', prefixes: ['9379', '9372'], operatorId: roshan.id, priority: 10, weight: 1, failover: [awcc.id] },
      {
        id: 'awcc-night',
        prefixes: ['9370'],
        tenantId: 'acme',
        senderTypes: ['short_code'],
        timeWindow: { days: ['fri'], start: '22:00', end: '06:00' },
        operatorId: awcc.id,
        priority: 5,
        weight: 1,
      },
    ];
    const response = await put({ expectedVersion: 0, rules });
    expect(response.statusCode).toBe(200);
    const answer = response.json<{ changed: boolean; ruleSet: { version: number; rules: { id: string }[] } }>();
    expect([answer.changed, answer.ruleSet.version, answer.ruleSet.rules.map((r) => r.id)]).toEqual([true, 1, ['awcc-night', 'roshan-default']]);

    await eventually(() => expect(s.events().filter((e) => e.type === 'ops.routing-rules.changed.v1')).toHaveLength(1));
    const [event] = s.events().filter((e) => e.type === 'ops.routing-rules.changed.v1');
    expect(event?.data).toMatchObject({ version: 1, previousVersion: 0, rules: answer.ruleSet.rules });
    expect(createEventValidator().validate('ops.routing-rules.changed.v1', event?.data)).toBeNull();

    const read = await s.app.inject({ method: 'GET', url: '/v1/routing-rules', headers: auth(s.tokens.reader) });
    expect([read.json(), read.headers.etag]).toEqual([answer.ruleSet, '"1"']);
  });

  it('changes nothing, and publishes nothing, when the same rules are sent again', async () => {
    const before = await current();
    const { rules } = (await s.app.inject({ method: 'GET', url: '/v1/routing-rules', headers: auth(s.tokens.reader) })).json<{ rules: object[] }>();
    const response = await put({ expectedVersion: 0, rules });
    expect(response.json()).toMatchObject({ changed: false, ruleSet: { version: before.version } });
    await s.flushOutbox();
    const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.outbox WHERE event_type = 'ops.routing-rules.changed.v1'`.execute(s.db.database.db);
    expect(events.rows[0]?.n).toBe(before.version);
  });

  it('refuses prefixes that are not digits, naming the field', async () => {
    const response = await put({ expectedVersion: (await current()).version, rules: [{ id: 'bad', prefixes: ['+93x'], operatorId: roshan.id, priority: 1, weight: 1 }] });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['rules[0].prefixes[0]']);
  });

  it('refuses overlapping rules at the same priority, naming the pair', async () => {
    const response = await put({
      expectedVersion: (await current()).version,
      rules: [
        { id: 'a', prefixes: ['93'], operatorId: roshan.id, priority: 1, weight: 1 },
        { id: 'b', prefixes: ['9379'], operatorId: awcc.id, priority: 1, weight: 1 },
      ],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'OPS.ROUTING_RULES_OVERLAP', overlaps: [{ firstRuleId: 'a', secondRuleId: 'b', priority: 1 }] });
  });

  it('accepts a weighted split: identical conditions, different operators, same priority', async () => {
    const response = await put({
      expectedVersion: (await current()).version,
      rules: [
        { id: 'split-roshan', prefixes: ['93'], operatorId: roshan.id, priority: 1, weight: 70 },
        { id: 'split-awcc', prefixes: ['93'], operatorId: awcc.id, priority: 1, weight: 30 },
      ],
    });
    expect(response.json()).toMatchObject({ changed: true, ruleSet: { version: 2 } });
  });

  it('refuses a rule naming an operator that does not exist', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    const response = await put({ expectedVersion: (await current()).version, rules: [{ id: 'ghost', prefixes: ['93'], operatorId: unknown, priority: 1, weight: 1 }] });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ references: [{ ruleId: 'ghost', operatorId: unknown, reason: 'unknown' }] });
  });

  it('refuses a different rule set sent with a stale version', async () => {
    const response = await put({ expectedVersion: 1, rules: [{ id: 'late', prefixes: ['9372'], operatorId: roshan.id, priority: 1, weight: 1 }] });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'OPS.VERSION_CONFLICT', expectedVersion: 1, actualVersion: 2 });
  });

  it('refuses a replacement without the admin role', async () => {
    const response = await put({ expectedVersion: 2, rules: [] }, s.tokens.reader);
    expect(response.statusCode).toBe(403);
  });

  it('keeps every version in ops.routing_rule_sets', async () => {
    const rows = await sql<{ version: number }>`SELECT version FROM ops.routing_rule_sets ORDER BY version`.execute(s.db.database.db);
    expect(rows.rows.map((r) => r.version)).toEqual([1, 2]);
  });
});
