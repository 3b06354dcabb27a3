import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventValidator } from '@sms/contracts';
import { auth, eventually, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';

let s: OpsServiceFixture;

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_create' });
});

afterAll(async () => {
  await s.stop();
});

const roshan = {
  code: 'roshan',
  name: 'Roshan',
  mcc: '412',
  mnc: '20',
  prefixes: ['9379', '9372'],
  connections: [
    { host: 'SMSC1.roshan.example', port: 2775, systemId: 'ROSH1', bindMode: 'transceiver', tls: true, windowSize: 50, throughputLimit: 200, password: 'r0sh-pw' },
  ],
};

describe('create-operator', () => {
  it('creates an operator over HTTP, stores it, keeps the password in the secret store only and publishes one created event', async () => {
    const response = await s.app.inject({ method: 'POST', url: '/v1/operators', headers: auth(s.tokens.admin), payload: roshan });
    expect(response.statusCode).toBe(201);
    const created = response.json<{ id: string; code: string; version: number; connections: { id: string; host: string; authentication: unknown }[] }>();
    expect(created).toMatchObject({ code: 'ROSHAN', version: 1, prefixes: ['9372', '9379'] });
    expect(created.connections[0]).toMatchObject({ host: 'smsc1.roshan.example', authentication: { configured: true, version: 1 } });
    expect(response.headers.location).toBe(`/v1/operators/${created.id}`);

    const read = await s.app.inject({ method: 'GET', url: `/v1/operators/${created.id}`, headers: auth(s.tokens.reader) });
    expect([read.statusCode, read.json(), read.headers.etag]).toEqual([200, created, '"1"']);

    const connectionId = created.connections[0]?.id ?? '';
    expect(await s.secretStore.get(`operators/${created.id}/connections/${connectionId}`)).toEqual({ password: 'r0sh-pw' });
    const rows = await sql<{ row: string }>`SELECT row_to_json(c)::text AS row FROM ops.operator_connections c`.execute(s.db.database.db);
    expect(rows.rows.map((r) => r.row).join()).not.toContain('r0sh-pw');

    await eventually(() => expect(s.events().filter((e) => e.aggregateId === created.id)).toHaveLength(1));
    const [event] = s.events().filter((e) => e.aggregateId === created.id);
    expect(event).toMatchObject({ type: 'ops.operator.changed.v1', data: { change: 'created', operator: created } });
    expect(createEventValidator().validate(event?.type ?? '', event?.data)).toBeNull();
  });

  it('publishes the event on the subject equal to its type', async () => {
    const response = await s.app.inject({
      method: 'POST',
      url: '/v1/operators',
      headers: auth(s.tokens.admin),
      payload: { ...roshan, code: 'AWCC', name: 'Afghan Wireless', mnc: '01', prefixes: ['9370'], connections: [{ ...roshan.connections[0], password: undefined }] },
    });
    const id = response.json<{ id: string }>().id;
    await eventually(() => expect(s.delivered.some((m) => m.subject === `${s.subjectPrefix}ops.operator.changed.v1` && new TextDecoder().decode(m.payload).includes(id))).toBe(true));
  });

  it('refuses a create without the admin role with 403 and stores nothing', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.operators`.execute(s.db.database.db);
    const response = await s.app.inject({ method: 'POST', url: '/v1/operators', headers: auth(s.tokens.reader), payload: { ...roshan, code: 'OTHER', mnc: '99' } });
    expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.operators`.execute(s.db.database.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('refuses a caller without a token with 401', async () => {
    const response = await s.app.inject({ method: 'GET', url: '/v1/operators' });
    expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([401, 'AUTH.TOKEN_MISSING']);
  });

  it('answers invalid input with a problem naming each field, never a 500', async () => {
    const response = await s.app.inject({
      method: 'POST',
      url: '/v1/operators',
      headers: auth(s.tokens.admin),
      payload: { ...roshan, code: 'X', mcc: '41', connections: [{ ...roshan.connections[0], port: 70000, password: 'far too long' }] },
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json<{ code: string; errors: { field: string }[] }>();
    expect(problem.code).toBe('OPS.VALIDATION_FAILED');
    expect(problem.errors.map((e) => e.field)).toEqual(['code', 'mcc', 'connections[0].port', 'connections[0].password']);
    expect(response.body).not.toContain('far too long');
  });

  it('answers a body of the wrong shape with a request validation problem', async () => {
    const response = await s.app.inject({ method: 'POST', url: '/v1/operators', headers: auth(s.tokens.admin), payload: { code: 7 } });
    expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([400, 'REQUEST.VALIDATION_FAILED']);
  });
});
