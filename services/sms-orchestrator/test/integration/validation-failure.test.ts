import { sql } from 'kysely';
import { withSystem } from '@sms/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedRouter, ScriptedSenderLeaseChecker } from '../../src/application/testing/index.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';

let fixture: OrchestratorFixture;
const TENANT = 'tenant-validation';

beforeAll(async () => {
  fixture = await startOrchestratorFixture({
    label: 'orch_validation',
    overrides: { senderLeases: new ScriptedSenderLeaseChecker(), router: new ScriptedRouter() },
  });
});
afterAll(async () => {
  await fixture.close();
});

async function send(payload: unknown, extraHeaders: Record<string, string> = {}) {
  return call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT, extraHeaders), payload);
}

const fieldsOf = (body: Record<string, unknown>) => (body.errors as Array<{ field: string; code: string }>).map((e) => [e.field, e.code]);

async function storedCounts(): Promise<{ messages: number; keys: number; outbox: number }> {
  return withSystem(fixture.database.database.db, { role: fixture.database.roles.systemRole }, async (trx) => {
    const result = await sql<{ messages: number; keys: number; outbox: number }>`
      SELECT (SELECT count(*)::int FROM orch.sms_messages) AS messages,
             (SELECT count(*)::int FROM orch.idempotency_keys) AS keys,
             (SELECT count(*)::int FROM orch.outbox WHERE event_type = 'sms.message.accepted.v1') AS outbox`.execute(trx);
    return result.rows[0]!;
  });
}

describe('validation failures of the submit API', () => {
  it('names every invalid field of a send request with its own code', async () => {
    const response = await send(
      validSend({ to: '+93 79 123', from: 'ACME', body: '', client_reference: '', validity_period: 30, callback_url: 'ftp://example.org/x' }),
      { 'idempotency-key': '' },
    );

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('ORCH.VALIDATION_FAILED');
    expect(response.body.type).toBe('https://errors.sms-platform.dev/orch-validation-failed');
    expect(fieldsOf(response.body)).toEqual(
      expect.arrayContaining([
        ['Idempotency-Key', 'ORCH.INVALID_IDEMPOTENCY_KEY'],
        ['to', 'ORCH.INVALID_DESTINATION'],
        ['from', 'ORCH.INVALID_SENDER'],
        ['body', 'ORCH.INVALID_BODY'],
        ['client_reference', 'ORCH.INVALID_CLIENT_REFERENCE'],
        ['validity_period', 'ORCH.INVALID_VALIDITY_PERIOD'],
        ['callback_url', 'ORCH.INVALID_CALLBACK_URL'],
      ]),
    );
    expect(response.body.errors).toHaveLength(7);
  });

  it('names fields of the wrong type, missing fields and unknown fields in the same format', async () => {
    const response = await send({ to: 93791234567, body: 'hi', tenant_id: 'someone-else' });

    expect(response.statusCode).toBe(400);
    expect(response.body.code).toBe('ORCH.VALIDATION_FAILED');
    expect(fieldsOf(response.body)).toEqual(
      expect.arrayContaining([
        ['to', 'ORCH.INVALID_DESTINATION'],
        ['from', 'ORCH.INVALID_SENDER'],
        ['tenant_id', 'ORCH.VALIDATION_FAILED'],
      ]),
    );
  });

  it('refuses a body needing more parts than the maximum, naming the count', async () => {
    const response = await send(validSend({ body: 'a'.repeat(153 * 10 + 1) }));

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response.body)).toEqual([['body', 'ORCH.TOO_MANY_PARTS']]);
  });

  it('reports bulk items by index and accepts the valid ones', async () => {
    const response = await call(fixture.app, 'POST', '/v1/sms/bulk', await fixture.headersFor(TENANT), {
      messages: [validSend(), validSend({ to: '12345' }), validSend({ body: '' })],
    });

    expect(response.statusCode).toBe(202);
    expect(response.body.accepted_count).toBe(1);
    expect(response.body.rejected_count).toBe(2);
    const items = response.body.items as Array<{ index: number; status: string; errors?: Array<{ field: string; code: string }> }>;
    expect(items.map((i) => i.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(items[1]?.errors?.map((e) => [e.field, e.code])).toEqual([['messages[1].to', 'ORCH.INVALID_DESTINATION']]);
    expect(items[2]?.errors?.map((e) => [e.field, e.code])).toEqual([['messages[2].body', 'ORCH.INVALID_BODY']]);
  });

  it('refuses a bulk request with more than 1,000 recipients', async () => {
    const response = await call(fixture.app, 'POST', '/v1/sms/bulk', await fixture.headersFor(TENANT), {
      to: Array.from({ length: 1001 }, () => '+93791234567'),
      from: '+93701234567',
      body: 'hello',
    });

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response.body)).toEqual([['to', 'ORCH.BULK_TOO_LARGE']]);
  });

  it('answers malformed JSON with a problem, not a 500', async () => {
    const response = await send('{"to": "+93791234567",');

    expect(response.statusCode).toBe(400);
    expect(response.body.code).toBe('REQUEST.MALFORMED_JSON');
  });

  it('stores nothing for any refused request', async () => {
    const before = await storedCounts();
    await send(validSend({ to: 'nope' }), { 'idempotency-key': 'validation-key-1' });
    await send({ to: 1 }, { 'idempotency-key': 'validation-key-2' });
    await call(fixture.app, 'POST', '/v1/sms/bulk', await fixture.headersFor(TENANT, { 'idempotency-key': 'validation-key-3' }), {
      messages: [validSend({ to: 'x' }), validSend({ from: 'y' })],
    });
    await send('not json');

    expect(await storedCounts()).toEqual(before);
  });
});
