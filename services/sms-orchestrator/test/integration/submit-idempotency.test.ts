import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withSystem } from '@sms/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedRouter, ScriptedSenderLeaseChecker } from '../../src/application/testing/index.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';

let fixture: OrchestratorFixture;
const TENANT = 'tenant-idem';

beforeAll(async () => {
  fixture = await startOrchestratorFixture({
    label: 'orch_submit_idem',
    overrides: { senderLeases: new ScriptedSenderLeaseChecker(), router: new ScriptedRouter() },
  });
});
afterAll(async () => {
  await fixture.close();
});

async function send(key: string, payload: unknown = validSend()) {
  return call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT, { 'idempotency-key': key }), payload);
}

async function messagesWithReference(reference: string): Promise<number> {
  return withSystem(fixture.database.database.db, { role: fixture.database.roles.systemRole }, async (trx) => {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.sms_messages WHERE client_reference = ${reference}`.execute(trx);
    return result.rows[0]?.n ?? 0;
  });
}

describe('idempotency of the submit API', () => {
  it('replays the first answer to the same request with the same key, flagged as a replay', async () => {
    const key = randomUUID();
    const first = await send(key);
    const second = await send(key);

    expect(first.statusCode).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.statusCode).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('refuses the same key with another body with 422', async () => {
    const key = randomUUID();
    await send(key);

    const other = await send(key, validSend({ body: 'A different text' }));

    expect(other.statusCode).toBe(422);
    expect(other.body.code).toBe('ORCH.IDEMPOTENCY_CONFLICT');
  });

  it('refuses a key used on /send when it comes back on /bulk', async () => {
    const key = randomUUID();
    await send(key);

    const bulk = await call(fixture.app, 'POST', '/v1/sms/bulk', await fixture.headersFor(TENANT, { 'idempotency-key': key }), {
      messages: [validSend()],
    });

    expect(bulk.statusCode).toBe(422);
  });

  it('replays a bulk answer with every message id', async () => {
    const key = randomUUID();
    const payload = { to: ['+93791234567', '+93791234568'], from: '+93701234567', body: 'broadcast' };
    const headers = await fixture.headersFor(TENANT, { 'idempotency-key': key });
    const first = await call(fixture.app, 'POST', '/v1/sms/bulk', headers, payload);
    const second = await call(fixture.app, 'POST', '/v1/sms/bulk', headers, payload);

    expect(first.statusCode).toBe(202);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('creates exactly one message from 50 concurrent requests with one key', async () => {
    const key = randomUUID();
    const reference = `conc-${randomUUID().slice(0, 8)}`;
    const payload = validSend({ client_reference: reference });

    const responses = await Promise.all(Array.from({ length: 50 }, () => send(key, payload)));

    const accepted = responses.filter((r) => r.statusCode === 202);
    const inProgress = responses.filter((r) => r.statusCode === 409);
    expect(accepted.length + inProgress.length).toBe(50);
    expect(new Set(accepted.map((r) => r.body.message_id)).size).toBe(1);
    expect(inProgress.every((r) => r.body.code === 'ORCH.IDEMPOTENCY_IN_PROGRESS' && r.headers['retry-after'] === '1')).toBe(true);
    expect(await messagesWithReference(reference)).toBe(1);
    const replay = await send(key, payload);
    expect(replay.body.message_id).toBe(accepted[0]?.body.message_id);
  });

  it('treats the same key of two tenants as two keys', async () => {
    const key = randomUUID();
    const mine = await send(key);

    const theirs = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor('tenant-idem-other', { 'idempotency-key': key }), validSend({ body: 'other text' }));

    expect(theirs.statusCode).toBe(202);
    expect(theirs.body.message_id).not.toBe(mine.body.message_id);
  });

  it('creates a new message for each request without a key', async () => {
    const first = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT), validSend());
    const second = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT), validSend());

    expect(first.body.message_id).not.toBe(second.body.message_id);
  });
});
