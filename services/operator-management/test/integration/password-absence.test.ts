import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocumentOf } from '@sms/http';
import { auth, eventually, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { createOperatorOver, healthReport, operatorBody, type OperatorJson } from '../support/requests.js';

// Distinctive bind passwords (SMPP allows 8 characters), so a match cannot be a coincidence.
const PASSWORDS = ['Qz7!pw01', 'Qz7!pw02', 'Qz7!pw03', 'Qz7!pw04'] as const;
const SECRET_KEY = /pass(word)?|secret|credential/i;
const CREDENTIALS_ROUTE = '/v1/operators/{operatorId}/connections/{connectionId}/credentials';

let s: OpsServiceFixture;
let live: OperatorJson;
let deleted: OperatorJson;

/** Where a value holds a password or a password-like key with a value: JSON paths, empty when clean. */
function secretsIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return PASSWORDS.some((p) => value.includes(p)) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => secretsIn(item, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => [
      ...(SECRET_KEY.test(key) && inner !== null && inner !== undefined ? [`${path}.${key}`] : []),
      ...secretsIn(inner, `${path}.${key}`),
    ]);
  }
  return [];
}

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_no_password' });
  const admin = auth(s.tokens.admin);
  live = await createOperatorOver(s, operatorBody('roshan', {}, PASSWORDS[0]));
  const added = await s.app.inject({
    method: 'POST',
    url: `/v1/operators/${live.id}/connections`,
    headers: admin,
    payload: { host: 'smsc2.roshan.example', port: 2775, systemId: 'ROSH2', bindMode: 'transmitter', password: PASSWORDS[1] },
  });
  expect(added.statusCode).toBe(201);
  const rotated = await s.app.inject({
    method: 'PUT',
    url: `/v1/operators/${live.id}/connections/${live.connections[0]?.id}/password`,
    headers: admin,
    payload: { password: PASSWORDS[2] },
  });
  expect(rotated.statusCode).toBe(200);
  deleted = await createOperatorOver(s, operatorBody('salaam', {}, PASSWORDS[3]));
  await s.app.inject({ method: 'POST', url: '/v1/health-reports', headers: auth(s.tokens.gateway), payload: healthReport(deleted.id, deleted.connections[0]?.id ?? '', new Date()) });
  expect((await s.app.inject({ method: 'DELETE', url: `/v1/operators/${deleted.id}`, headers: admin })).statusCode).toBe(200);
  await s.app.inject({ method: 'POST', url: '/v1/health-reports', headers: auth(s.tokens.gateway), payload: healthReport(live.id, live.connections[0]?.id ?? '', new Date()) });
  const rules = await s.app.inject({
    method: 'PUT',
    url: '/v1/routing-rules',
    headers: admin,
    payload: { expectedVersion: 0, rules: [{ id: 'roshan', prefixes: ['9379'], operatorId: live.id, priority: 1, weight: 1 }] },
  });
  expect(rules.statusCode).toBe(200);
  await s.flushOutbox();
});

afterAll(async () => {
  await s.stop();
});

describe('no password in any answer or event', () => {
  it('finds the passwords in the credentials answer (the walk can see them)', async () => {
    const response = await s.app.inject({
      method: 'GET',
      url: `/v1/operators/${live.id}/connections/${live.connections[0]?.id}/credentials`,
      headers: auth(s.tokens.gateway),
    });
    expect(secretsIn(response.json())).toEqual(['$.password', '$.password']);
  });

  it('finds none in any answer of every GET endpoint but the credentials one', async () => {
    const document = await openApiDocumentOf(s.app);
    const getRoutes = Object.entries(document.paths ?? {})
      .filter(([, item]) => item?.get !== undefined)
      .map(([path]) => path);
    expect(getRoutes).toContain(CREDENTIALS_ROUTE);
    const walked = new Set<string>();
    const findings: string[] = [];
    for (const route of getRoutes.filter((r) => r !== CREDENTIALS_ROUTE)) {
      const queries = route === '/v1/operators' ? ['', '?status=active,suspended,deleted', '?status=deleted'] : [''];
      for (const operator of [live, deleted]) {
        for (const query of queries) {
          const url = route.replace('{operatorId}', operator.id) + query;
          for (const token of [s.tokens.admin, s.tokens.gateway]) {
            const response = await s.app.inject({ method: 'GET', url, headers: auth(token) });
            expect(response.statusCode, url).toBe(200);
            findings.push(...secretsIn(response.json()).map((where) => `${url} ${where}`), ...(response.body.includes('Qz7!') ? [`${url} body`] : []));
            walked.add(route);
          }
        }
      }
    }
    expect(findings).toEqual([]);
    expect([...walked].sort()).toEqual(getRoutes.filter((r) => r !== CREDENTIALS_ROUTE).sort());
    expect(walked.size).toBeGreaterThanOrEqual(5);
  });

  it('finds none in any answer of the writes', async () => {
    const admin = auth(s.tokens.admin);
    const responses = await Promise.all([
      s.app.inject({ method: 'POST', url: '/v1/operators', headers: admin, payload: operatorBody('mtn', {}, 'Qz7!pw09') }),
      s.app.inject({ method: 'PUT', url: `/v1/operators/${live.id}/connections/${live.connections[0]?.id}/password`, headers: admin, payload: { password: 'Qz7!pw10' } }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([201, 200]);
    expect(responses.flatMap((r) => secretsIn(r.json()))).toEqual([]);
    expect(responses.some((r) => r.body.includes('Qz7!'))).toBe(false);
  });

  it('finds none in any event, as stored in the outbox and as delivered on the bus', async () => {
    await s.flushOutbox();
    const outbox = await sql<{ payload: unknown }>`SELECT payload FROM ops.outbox ORDER BY seq`.execute(s.db.database.db);
    const types = new Set(outbox.rows.map((r) => (r.payload as { type: string }).type));
    expect([...types].sort()).toEqual(['ops.operator-health.changed.v1', 'ops.operator.changed.v1', 'ops.operator.deleted.v1', 'ops.routing-rules.changed.v1']);
    expect(outbox.rows.flatMap((r) => secretsIn(r.payload))).toEqual([]);
    await eventually(() => expect(s.events().length).toBe(outbox.rows.length));
    expect(s.events().flatMap((e) => secretsIn(e))).toEqual([]);
    expect(s.delivered.some((m) => new TextDecoder().decode(m.payload).includes('Qz7!'))).toBe(false);
  });
});
