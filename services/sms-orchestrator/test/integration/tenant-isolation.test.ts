import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withTenant } from '@sms/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedRouter, ScriptedSenderLeaseChecker } from '../../src/application/testing/index.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';

let fixture: OrchestratorFixture;
const OWNER = 'tenant-owner';
const INTRUDER = 'tenant-intruder';
let ownersMessageId: string;
let ownersBulkIds: string[];
const ownersKey = randomUUID();

beforeAll(async () => {
  fixture = await startOrchestratorFixture({
    label: 'orch_isolation',
    overrides: { senderLeases: new ScriptedSenderLeaseChecker(), router: new ScriptedRouter() },
  });
  const sent = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(OWNER, { 'idempotency-key': ownersKey }), validSend());
  ownersMessageId = String(sent.body.message_id);
  const bulk = await call(fixture.app, 'POST', '/v1/sms/bulk', await fixture.headersFor(OWNER), { messages: [validSend(), validSend()] });
  ownersBulkIds = (bulk.body.items as Array<{ message_id: string }>).map((i) => i.message_id);
});
afterAll(async () => {
  await fixture.close();
});

describe('tenant isolation of every endpoint', () => {
  it('GET /v1/sms/{id}: another tenant gets 404 for a message that exists, exactly as for one that does not', async () => {
    const theirs = await call(fixture.app, 'GET', `/v1/sms/${ownersMessageId}`, await fixture.headersFor(INTRUDER));
    const missing = await call(fixture.app, 'GET', `/v1/sms/${'0190a000-0000-7000-8000-000000000000'}`, await fixture.headersFor(INTRUDER));
    const mine = await call(fixture.app, 'GET', `/v1/sms/${ownersMessageId}`, await fixture.headersFor(OWNER));

    expect(theirs.statusCode).toBe(404);
    expect(theirs.body.code).toBe('ORCH.MESSAGE_NOT_FOUND');
    expect({ ...theirs.body, request_id: null, detail: null, instance: null }).toEqual({ ...missing.body, request_id: null, detail: null, instance: null });
    expect(mine.statusCode).toBe(200);
  });

  it('GET /v1/sms/{id}: messages created by bulk are not visible to another tenant either', async () => {
    const answers = await Promise.all(ownersBulkIds.map(async (id) => call(fixture.app, 'GET', `/v1/sms/${id}`, await fixture.headersFor(INTRUDER))));

    expect(answers.map((a) => a.statusCode)).toEqual([404, 404]);
  });

  it('POST /v1/sms/send: X-Tenant-Id of another tenant than the token is refused with 403 and nothing is stored', async () => {
    const headers = { ...(await fixture.headersFor(INTRUDER)), 'x-tenant-id': OWNER };

    const response = await call(fixture.app, 'POST', '/v1/sms/send', headers, validSend({ client_reference: 'forged-send' }));

    expect(response.statusCode).toBe(403);
    expect(response.body.code).toBe('AUTH.TENANT_MISMATCH');
    expect(await countByReference('forged-send')).toBe(0);
  });

  it('POST /v1/sms/bulk: X-Tenant-Id of another tenant than the token is refused with 403', async () => {
    const headers = { ...(await fixture.headersFor(INTRUDER)), 'x-tenant-id': OWNER };

    const response = await call(fixture.app, 'POST', '/v1/sms/bulk', headers, { messages: [validSend({ client_reference: 'forged-bulk' })] });

    expect(response.statusCode).toBe(403);
    expect(await countByReference('forged-bulk')).toBe(0);
  });

  it('GET /v1/sms/{id}: X-Tenant-Id of the owner with another tenant token is refused with 403', async () => {
    const headers = { ...(await fixture.headersFor(INTRUDER)), 'x-tenant-id': OWNER };

    const response = await call(fixture.app, 'GET', `/v1/sms/${ownersMessageId}`, headers);

    expect(response.statusCode).toBe(403);
  });

  it('every endpoint refuses a request without a token (401) and without X-Tenant-Id (400)', async () => {
    const token = await fixture.tokenFor(OWNER);
    const requests = [
      ['POST', '/v1/sms/send', validSend()],
      ['POST', '/v1/sms/bulk', { messages: [validSend()] }],
      ['GET', `/v1/sms/${ownersMessageId}`, undefined],
    ] as const;

    for (const [method, url, payload] of requests) {
      const anonymous = await call(fixture.app, method, url, { 'x-tenant-id': OWNER }, payload);
      const headerless = await call(fixture.app, method, url, { authorization: `Bearer ${token}` }, payload);
      expect([url, anonymous.statusCode, headerless.statusCode]).toEqual([url, 401, 400]);
    }
  });

  it('the tenant comes from the token: a tenant_id in the body is refused, never used', async () => {
    const response = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(INTRUDER), { ...validSend(), tenant_id: OWNER });

    expect(response.statusCode).toBe(400);
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['tenant_id']);
  });

  it("POST /v1/sms/send: another tenant's Idempotency-Key neither replays nor conflicts with the owner's", async () => {
    const response = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(INTRUDER, { 'idempotency-key': ownersKey }), validSend({ body: 'intruder text' }));

    expect(response.statusCode).toBe(202);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
    expect(response.body.message_id).not.toBe(ownersMessageId);
  });

  it("a delivery status naming another tenant does not change the owner's message", async () => {
    const result = await fixture.orchestrator.applyDeliveryStatus.execute({
      eventId: randomUUID(),
      tenantId: INTRUDER,
      messageId: ownersMessageId,
      status: 'delivered',
      occurredAt: new Date(),
      smscMessageId: null,
      errorCode: null,
      errorReason: null,
    });
    const owners = await call(fixture.app, 'GET', `/v1/sms/${ownersMessageId}`, await fixture.headersFor(OWNER));

    expect(result.ok).toBe(false);
    expect(owners.body.status).not.toBe('delivered');
  });

  it("the pipeline run for another tenant does not find the owner's message", async () => {
    const result = await fixture.orchestrator.processMessage.execute({ tenantId: INTRUDER, messageId: ownersMessageId });

    expect(result.ok).toBe(false);
  });
});

async function countByReference(reference: string): Promise<number> {
  let total = 0;
  for (const tenantId of [OWNER, INTRUDER]) {
    const result = await withTenant(fixture.database.database.db, { tenantId, role: fixture.database.roles.appRole }, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.sms_messages WHERE client_reference = ${reference}`.execute(trx),
    );
    total += result.rows[0]?.n ?? 0;
  }
  return total;
}
