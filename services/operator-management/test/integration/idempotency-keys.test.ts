import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';

let s: OpsServiceFixture;

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_idempotency' });
});

afterAll(async () => {
  await s.stop();
});

const operator = (code: string, mnc: string) => ({
  code,
  name: `Operator ${code}`,
  mcc: '412',
  mnc,
  prefixes: [`93${mnc}`],
  connections: [{ host: `smsc.${code.toLowerCase()}.example`, port: 2775, systemId: 'SYS1', bindMode: 'transceiver', tls: true, windowSize: 10, throughputLimit: 50 }],
});

const createWithKey = (key: string, body: unknown, token = s.tokens.admin) =>
  s.app.inject({ method: 'POST', url: '/v1/operators', headers: { ...auth(token), 'idempotency-key': key }, payload: body as Record<string, unknown> });

async function operatorsWithCode(code: string): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.operators WHERE code = ${code}`.execute(s.db.database.db);
  return rows.rows[0]?.n ?? -1;
}

describe('Idempotency-Key on the administrative API', () => {
  it('replays the first answer of POST /v1/operators for the same key and body, creating the operator and its event once', async () => {
    const first = await createWithKey('create-mtn-1', operator('MTN', '40'));
    const again = await createWithKey('create-mtn-1', operator('MTN', '40'));

    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect([again.headers.location, again.headers.etag]).toEqual([first.headers.location, first.headers.etag]);
    expect(await operatorsWithCode('MTN')).toBe(1);
    const id = first.json<{ id: string }>().id;
    await s.flushOutbox();
    await eventually(() => expect(s.events().filter((e) => e.aggregateId === id)).toHaveLength(1));
  });

  it('refuses the same key with another body with 422 problem+json and changes nothing', async () => {
    await createWithKey('create-salaam', operator('SALAAM', '50'));

    const other = await createWithKey('create-salaam', operator('ETISALAT', '30'));

    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({ code: 'REQUEST.IDEMPOTENCY_CONFLICT', status: 422 });
    expect(await operatorsWithCode('ETISALAT')).toBe(0);
  });

  it('creates one operator when ten identical requests with one key arrive at once', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => createWithKey('create-awcc-concurrent', operator('AWCC', '01'))));

    const performed = answers.filter((a) => a.statusCode === 201 && a.headers['idempotent-replayed'] === undefined);
    expect(performed).toHaveLength(1);
    for (const answer of answers) {
      // The others are told the first is still running, or get its answer replayed.
      expect([409, 201]).toContain(answer.statusCode);
      if (answer.statusCode === 409) expect(answer.json()).toMatchObject({ code: 'REQUEST.IDEMPOTENCY_IN_PROGRESS' });
      if (answer !== performed[0] && answer.statusCode === 201) expect(answer.json()).toEqual(performed[0]?.json());
    }
    expect(await operatorsWithCode('AWCC')).toBe(1);
  });

  it('keeps the keys of two administrators apart', async () => {
    const carol = await s.signer.mint({ subject: 'carol', roles: ['ops-admin'] });
    await createWithKey('same-key', operator('ROSHAN', '20'));

    const other = await createWithKey('same-key', operator('ROSHAN2', '21'), carol);

    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(await operatorsWithCode('ROSHAN2')).toBe(1);
  });

  it('treats a PATCH with another If-Match as another request, and replays a PATCH with the same one', async () => {
    const created = await createWithKey('create-for-patch', operator('PATCHME', '60'));
    const id = created.json<{ id: string }>().id;
    const patch = (ifMatch: string) =>
      s.app.inject({ method: 'PATCH', url: `/v1/operators/${id}`, headers: { ...auth(s.tokens.admin), 'idempotency-key': 'rename-1', 'if-match': ifMatch }, payload: { name: 'Renamed' } });

    const first = await patch('"1"');
    const replay = await patch('"1"');
    const other = await patch('"2"');

    expect(first.statusCode).toBe(200);
    expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
    expect(other.statusCode).toBe(422);
    const stored = await sql<{ version: number }>`SELECT version FROM ops.operators WHERE id = ${id}`.execute(s.db.database.db);
    expect(stored.rows[0]?.version).toBe(2);
  });

  it('answers 400 naming the header for a key with spaces, and leaves reads alone', async () => {
    const bad = await createWithKey('has space', operator('BAD', '70'));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('idempotency-key');
    expect(await operatorsWithCode('BAD')).toBe(0);
  });

  it('purges records claimed more than 48 hours ago', async () => {
    await sql`INSERT INTO ops.idempotency_keys (caller, key, fingerprint, claim_token, created_at)
      VALUES ('user:alice', 'ancient', ${'0'.repeat(64)}, gen_random_uuid(), now() - interval '49 hours')`.execute(s.db.database.db);

    await s.handle.idempotencyPurge.runNow();

    const left = await sql<{ key: string }>`SELECT key FROM ops.idempotency_keys`.execute(s.db.database.db);
    expect(left.rows.map((r) => r.key)).not.toContain('ancient');
    expect(left.rows.map((r) => r.key)).toContain('create-mtn-1');
  });
});
