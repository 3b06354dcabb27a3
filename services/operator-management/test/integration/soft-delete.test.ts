import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventValidator } from '@sms/contracts';
import { auth, eventually, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { createOperatorOver, healthReport, operatorBody, type OperatorJson } from '../support/requests.js';

let s: OpsServiceFixture;
let salaam: OperatorJson;
let deletion: { statusCode: number; body: Record<string, unknown> };

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_soft_delete' });
  salaam = await createOperatorOver(s, operatorBody('salaam', {}, 'sal-pw1'));
  await createOperatorOver(s, operatorBody('roshan'));
  const response = await s.app.inject({ method: 'DELETE', url: `/v1/operators/${salaam.id}`, headers: auth(s.tokens.admin) });
  deletion = { statusCode: response.statusCode, body: response.json() };
});

afterAll(async () => {
  await s.stop();
});

const get = (url: string, token = s.tokens.admin) => s.app.inject({ method: 'GET', url, headers: auth(token) });

describe('soft-delete', () => {
  it('answers the deletion with its time and a finished secret cleanup', () => {
    expect(deletion).toMatchObject({ statusCode: 200, body: { operatorId: salaam.id, alreadyDeleted: false, storeCleanup: 'done' } });
  });

  it('takes the operator out of the default list and of the health list', async () => {
    const list = (await get('/v1/operators')).json<{ items: { id: string }[] }>();
    expect(list.items.map((o) => o.id)).not.toContain(salaam.id);
    expect(list.items).toHaveLength(1);
    const health = (await get('/v1/operator-health')).json<{ items: { operatorId: string }[] }>();
    expect(health.items.map((h) => h.operatorId)).not.toContain(salaam.id);
  });

  it('keeps the operator readable by id, and listed when deleted ones are asked for', async () => {
    const read = await get(`/v1/operators/${salaam.id}`);
    expect(read.json()).toMatchObject({ id: salaam.id, status: 'deleted', code: 'SALAAM', version: 2 });
    const deleted = (await get('/v1/operators?status=deleted')).json<{ items: { id: string }[] }>();
    expect(deleted.items.map((o) => o.id)).toEqual([salaam.id]);
  });

  it('keeps the row, its connections and prefixes in the database (history)', async () => {
    const rows = await sql<{ status: string; deleted: boolean; connections: number; prefixes: number }>`
      SELECT o.status, o.deleted_at IS NOT NULL AS deleted,
        (SELECT count(*)::int FROM ops.operator_connections c WHERE c.operator_id = o.id) AS connections,
        (SELECT count(*)::int FROM ops.operator_prefixes p WHERE p.operator_id = o.id) AS prefixes
      FROM ops.operators o WHERE o.id = ${salaam.id}`.execute(s.db.database.db);
    expect(rows.rows).toEqual([{ status: 'deleted', deleted: true, connections: 1, prefixes: 1 }]);
  });

  it('publishes ops.operator.deleted.v1 once, conforming to its schema', async () => {
    await eventually(() => expect(s.events().filter((e) => e.type === 'ops.operator.deleted.v1')).toHaveLength(1));
    const [event] = s.events().filter((e) => e.type === 'ops.operator.deleted.v1');
    expect(event).toMatchObject({ aggregateId: salaam.id, data: { operatorId: salaam.id, code: 'SALAAM', version: 2 } });
    expect(createEventValidator().validate('ops.operator.deleted.v1', event?.data)).toBeNull();
  });

  it('removes the bind password from the secret store', async () => {
    expect(await s.secretStore.get(`operators/${salaam.id}/connections/${salaam.connections[0]?.id}`)).toBeNull();
  });

  it('keeps the operator out of routing: rules naming it are refused', async () => {
    const response = await s.app.inject({
      method: 'PUT',
      url: '/v1/routing-rules',
      headers: auth(s.tokens.admin),
      payload: { expectedVersion: 0, rules: [{ id: 'salaam', prefixes: ['9374'], operatorId: salaam.id, priority: 1, weight: 1 }] },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'OPS.ROUTING_OPERATOR_UNAVAILABLE',
      references: [{ ruleId: 'salaam', operatorId: salaam.id, role: 'target', reason: 'deleted' }],
    });
  });

  it('refuses changes, credentials and health reports for the deleted operator with 410', async () => {
    const connectionId = salaam.connections[0]?.id ?? '';
    const patch = await s.app.inject({ method: 'PATCH', url: `/v1/operators/${salaam.id}`, headers: auth(s.tokens.admin), payload: { name: 'x' } });
    const credentials = await get(`/v1/operators/${salaam.id}/connections/${connectionId}/credentials`, s.tokens.gateway);
    const report = await s.app.inject({
      method: 'POST',
      url: '/v1/health-reports',
      headers: auth(s.tokens.gateway),
      payload: healthReport(salaam.id, connectionId, new Date()),
    });
    expect([patch.statusCode, credentials.statusCode, report.statusCode]).toEqual([410, 410, 410]);
  });

  it('treats a repeated delete as done without a second event', async () => {
    const again = await s.app.inject({ method: 'DELETE', url: `/v1/operators/${salaam.id}`, headers: auth(s.tokens.admin) });
    expect(again.json()).toMatchObject({ alreadyDeleted: true });
    await s.flushOutbox();
    const outbox = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.outbox WHERE event_type = 'ops.operator.deleted.v1'`.execute(s.db.database.db);
    expect(outbox.rows[0]?.n).toBe(1);
  });

  it('refuses deleting an operator a routing rule still routes to', async () => {
    const mtn = await createOperatorOver(s, operatorBody('mtn'));
    const rules = await s.app.inject({
      method: 'PUT',
      url: '/v1/routing-rules',
      headers: auth(s.tokens.admin),
      payload: { expectedVersion: 0, rules: [{ id: 'mtn-default', prefixes: ['9377'], operatorId: mtn.id, priority: 1, weight: 1 }] },
    });
    expect(rules.statusCode).toBe(200);
    const response = await s.app.inject({ method: 'DELETE', url: `/v1/operators/${mtn.id}`, headers: auth(s.tokens.admin) });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'OPS.OPERATOR_IN_USE', ruleIds: ['mtn-default'] });
    expect((await get(`/v1/operators/${mtn.id}`)).json()).toMatchObject({ status: 'active' });
  });
});
