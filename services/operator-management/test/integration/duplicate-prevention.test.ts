import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auth, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { createOperatorOver, operatorBody } from '../support/requests.js';

let s: OpsServiceFixture;

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_duplicates' });
});

afterAll(async () => {
  await s.stop();
});

afterEach(async () => {
  await s.flushOutbox();
  await sql`TRUNCATE ops.operators, ops.operator_prefixes, ops.operator_connections, ops.outbox CASCADE`.execute(s.db.database.db);
});

async function countOperators(code: string): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.operators WHERE code = ${code}`.execute(s.db.database.db);
  return rows.rows[0]?.n ?? 0;
}

const post = (payload: object) => s.app.inject({ method: 'POST', url: '/v1/operators', headers: auth(s.tokens.admin), payload });

describe('duplicate-prevention', () => {
  it('refuses a second operator with the same code (any letter case) with a 409 naming the field and the existing operator', async () => {
    const first = await createOperatorOver(s, operatorBody('roshan'));
    const response = await post(operatorBody('roshan', { code: 'roshan', mnc: '21' }));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'code', existingOperatorId: first.id });
    expect(await countOperators('ROSHAN')).toBe(1);
  });

  it('refuses a second operator with the same MCC/MNC under another code', async () => {
    const first = await createOperatorOver(s, operatorBody('awcc'));
    const response = await post(operatorBody('awcc', { code: 'AWCC-2' }));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'mccMnc', existingOperatorId: first.id });
  });

  it('lets exactly one of six concurrent HTTP creates of one code win; the others get 409 and nothing is half-written', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(operatorBody('mtn', { mnc: String(41 + i) }, `pw${i}`))),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = responses.find((r) => r.statusCode === 201)?.json<{ id: string; connections: { id: string }[] }>();
    for (const loser of responses.filter((r) => r.statusCode === 409)) {
      expect(loser.json()).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'code', existingOperatorId: winner?.id });
    }
    expect(await countOperators('MTN-AF')).toBe(1);
    const outbox = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.outbox`.execute(s.db.database.db);
    expect(outbox.rows[0]?.n).toBe(1);
    const connections = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.operator_connections`.execute(s.db.database.db);
    expect(connections.rows[0]?.n).toBe(1);
    // The losers' passwords were written first and compensated: only the winner's secret is left.
    const secrets = await sql<{ path: string }>`SELECT DISTINCT path FROM platform_secrets.secret_versions WHERE path LIKE 'ops/operators/%'`.execute(s.db.database.db);
    expect(secrets.rows.map((r) => r.path)).toEqual([`ops/operators/${winner?.id}/connections/${winner?.connections[0]?.id}`]);
  });

  it('refuses changing an operator’s code to one a live operator has', async () => {
    await createOperatorOver(s, operatorBody('salaam'));
    const other = await createOperatorOver(s, operatorBody('etisalat'));
    const response = await s.app.inject({ method: 'PATCH', url: `/v1/operators/${other.id}`, headers: auth(s.tokens.admin), payload: { code: 'SALAAM' } });
    expect([response.statusCode, response.json<{ field: string }>().field]).toEqual([409, 'code']);
  });

  it('accepts the code and MCC/MNC of a soft-deleted operator for a new one', async () => {
    const old = await createOperatorOver(s, operatorBody('salaam'));
    const deleted = await s.app.inject({ method: 'DELETE', url: `/v1/operators/${old.id}`, headers: auth(s.tokens.admin) });
    expect(deleted.statusCode).toBe(200);
    const again = await post(operatorBody('salaam'));
    expect(again.statusCode).toBe(201);
    expect(await countOperators('SALAAM')).toBe(2);
  });

  it('lets two aggregators without MCC/MNC coexist', async () => {
    const aggregator = (code: string) =>
      operatorBody('roshan', { code, name: code, kind: 'aggregator', mcc: null, mnc: null, prefixes: [] });
    expect((await post(aggregator('HUB-ONE'))).statusCode).toBe(201);
    expect((await post(aggregator('HUB-TWO'))).statusCode).toBe(201);
  });
});
