import { sql } from 'kysely';
import { createEventValidator } from '@sms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents, publishDeliveryStatus } from '../support/bus-collector.js';
import type { Collected } from '../support/bus-collector.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';
import { startStubNumbering } from '../support/stub-numbering.js';
import type { StubNumbering } from '../support/stub-numbering.js';
import { startStubRoutingEngine } from '../support/stub-routing-engine.js';
import type { StubRoutingEngine } from '../support/stub-routing-engine.js';

let numbering: StubNumbering;
let routing: StubRoutingEngine;
let fixture: OrchestratorFixture;
let collector: { events: Collected[]; stop(): Promise<void> };
const TENANT = 'tenant-happy';
const validator = createEventValidator();

beforeAll(async () => {
  numbering = await startStubNumbering();
  routing = await startStubRoutingEngine();
  fixture = await startOrchestratorFixture({
    label: 'orch_happy',
    env: { NUMBERING_GRPC_ADDRESS: numbering.address, ROUTING_ENGINE_URL: routing.url },
  });
  collector = await collectEvents(fixture.bus, [`${fixture.subjectPrefix}.sms.>`]);
});
afterAll(async () => {
  await collector.stop();
  await fixture.close();
  await numbering.stop();
  await routing.stop();
});

async function getMessage(id: string) {
  return call(fixture.app, 'GET', `/v1/sms/${id}`, await fixture.headersFor(TENANT));
}

const PRODUCED = new Set(['sms.message.accepted.v1', 'sms.message.status-changed.v1', 'sms.message.dead-lettered.v1', 'sms.outbound.requested.v1']);
const eventsOf = (id: string, type?: string) =>
  collector.events.filter((e) => e.envelope.aggregateId === id && PRODUCED.has(e.envelope.type) && (type === undefined || e.envelope.type === type));

async function handledByInbox(eventIds: readonly string[]): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.inbox WHERE event_id = ANY(${eventIds}::uuid[])`.execute(fixture.database.database.db);
  return result.rows[0]?.n ?? 0;
}

describe('the happy path: submit, pipeline, dispatch, delivery', () => {
  let messageId: string;

  it('accepts a message with 202, its id, status accepted, encoding and segment count', async () => {
    const response = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT), validSend({ body: 'سلام '.repeat(20), client_reference: 'happy-1' }));

    expect(response.statusCode).toBe(202);
    expect(response.body).toMatchObject({ status: 'accepted', encoding: 'UCS-2', segments: 2, client_reference: 'happy-1' });
    expect(response.body.message_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    messageId = String(response.body.message_id);
  });

  it('runs the pipeline: the sender lease is checked, a route found, the message routed', async () => {
    await expect.poll(async () => (await getMessage(messageId)).body.status, { timeout: 10_000, interval: 50 }).toBe('routed');

    expect(numbering.calls.some((c) => c.request.sender === '+93701234567' && c.request.tenantId === TENANT)).toBe(true);
    expect(routing.calls.some((c) => c.body.message_id === messageId && c.body.destination === '+93791234567')).toBe(true);
  });

  it('dispatches sms.outbound.request with everything the SMPP gateway needs', async () => {
    await expect.poll(() => eventsOf(messageId, 'sms.outbound.requested.v1').length, { timeout: 10_000, interval: 50 }).toBe(1);
    const [outbound] = eventsOf(messageId, 'sms.outbound.requested.v1');

    expect(outbound?.subject).toBe(`${fixture.subjectPrefix}.sms.outbound.request`);
    expect(outbound?.envelope.data).toMatchObject({
      messageId,
      tenantId: TENANT,
      to: '+93791234567',
      from: '+93701234567',
      body: 'سلام '.repeat(20),
      encoding: 'UCS-2',
      segments: 2,
      operatorId: 'roshan',
      connectionId: 'roshan-smpp-1',
      attempt: 1,
    });
  });

  it('moves the message to its final status from the gateway reports, with the whole history', async () => {
    await publishDeliveryStatus(fixture.bus, fixture.orchestrator.subjects.deliveryStatus, { messageId, tenantId: TENANT, status: 'submitted', smscMessageId: 'smsc-77' });
    await expect.poll(async () => (await getMessage(messageId)).body.status, { timeout: 10_000, interval: 50 }).toBe('submitted');
    await publishDeliveryStatus(fixture.bus, fixture.orchestrator.subjects.deliveryStatus, { messageId, tenantId: TENANT, status: 'delivered', smscMessageId: 'smsc-77' });
    await expect.poll(async () => (await getMessage(messageId)).body.status, { timeout: 10_000, interval: 50 }).toBe('delivered');

    const message = await getMessage(messageId);
    expect((message.body.history as Array<{ status: string }>).map((h) => h.status)).toEqual(['accepted', 'routed', 'submitted', 'delivered']);
    expect(message.body).toMatchObject({ to: '+93791234567', from: '+93701234567', from_type: 'msisdn', error_code: null });
  });

  it('publishes accepted, status-changed for every change, and outbound events that conform to their schemas', async () => {
    await expect.poll(() => eventsOf(messageId, 'sms.message.status-changed.v1').length, { timeout: 10_000, interval: 50 }).toBe(3);
    const events = eventsOf(messageId);

    expect(events.map((e) => e.envelope.type).sort()).toEqual([
      'sms.message.accepted.v1',
      'sms.message.status-changed.v1',
      'sms.message.status-changed.v1',
      'sms.message.status-changed.v1',
      'sms.outbound.requested.v1',
    ]);
    for (const { envelope } of events) expect([envelope.type, validator.validate(envelope.type, envelope.data)]).toEqual([envelope.type, null]);
  });

  it('ignores a redelivered or late report: the final status stays', async () => {
    const subject = fixture.orchestrator.subjects.deliveryStatus;
    const late = await publishDeliveryStatus(fixture.bus, subject, { messageId, tenantId: TENANT, status: 'submitted' });
    await publishDeliveryStatus(fixture.bus, subject, { messageId, tenantId: TENANT, status: 'failed', errorCode: 'X' }, late);
    const other = await publishDeliveryStatus(fixture.bus, subject, { messageId, tenantId: TENANT, status: 'undelivered', errorCode: 'SMPP.0x0B' });
    await expect.poll(() => handledByInbox([late, other]), { timeout: 10_000, interval: 50 }).toBe(2);

    const message = await getMessage(messageId);
    expect(message.body.status).toBe('delivered');
  });

  it('accepts a bulk request and routes every message of it', async () => {
    const response = await call(fixture.app, 'POST', '/v1/sms/bulk', await fixture.headersFor(TENANT), {
      to: ['+93791234567', '+93791234568', '+93791234569'],
      from: '+93701234567',
      body: 'bulk hello',
    });
    const ids = (response.body.items as Array<{ message_id: string }>).map((i) => i.message_id);

    expect(response.statusCode).toBe(202);
    expect(response.body.accepted_count).toBe(3);
    for (const id of ids) await expect.poll(async () => (await getMessage(id)).body.status, { timeout: 10_000, interval: 50 }).toBe('routed');
  });
});
