import { status } from '@grpc/grpc-js';
import { sql } from 'kysely';
import { createEventValidator } from '@sms/contracts';
import { withSystem, withTenant } from '@sms/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresMessageRepository } from '../../src/adapters/postgres/postgres-message.repository.js';
import { collectEvents } from '../support/bus-collector.js';
import type { Collected } from '../support/bus-collector.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';
import { newMessage } from '../support/stored-messages.js';
import { LEASED, startStubNumbering } from '../support/stub-numbering.js';
import type { StubNumbering } from '../support/stub-numbering.js';
import { ROSHAN_ROUTE, startStubRoutingEngine } from '../support/stub-routing-engine.js';
import type { StubRoutingEngine } from '../support/stub-routing-engine.js';

let numbering: StubNumbering;
let routing: StubRoutingEngine;
let fixture: OrchestratorFixture;
let collector: { events: Collected[]; stop(): Promise<void> };
const TENANT = 'tenant-retry';
const DOWN_FOR_GOOD = '+93701111111';
const NOT_LEASED = '+93702222222';

beforeAll(async () => {
  numbering = await startStubNumbering();
  routing = await startStubRoutingEngine();
  numbering.answer((request) => {
    if (request.sender === DOWN_FOR_GOOD) return { error: status.UNAVAILABLE };
    if (request.sender === NOT_LEASED) return { response: { valid: false, reason: 'not_leased_to_tenant' } };
    return LEASED;
  });
  routing.answer((body) =>
    body.destination === '+93791230000'
      ? { status: 422, body: { type: 'https://errors.sms-platform.dev/routing-no-route', title: 'No route', status: 422, code: 'ROUTING.NO_ROUTE', detail: 'no operator serves +93791230000' } }
      : ROSHAN_ROUTE,
  );
  fixture = await startOrchestratorFixture({
    label: 'orch_retry',
    env: {
      NUMBERING_GRPC_ADDRESS: numbering.address,
      ROUTING_ENGINE_URL: routing.url,
      ORCH_RETRY_BASE_DELAY_MS: '100',
      ORCH_RETRY_MAX_DELAY_MS: '400',
      ORCH_RETRY_MAX_ATTEMPTS: '6',
      ORCH_RETRY_SWEEP_INTERVAL_MS: '50',
      ORCH_DEPENDENCY_TIMEOUT_MS: '500',
    },
  });
  collector = await collectEvents(fixture.bus, [fixture.orchestrator.subjects.deadLettered, fixture.orchestrator.subjects.outbound]);
});
afterAll(async () => {
  await collector.stop();
  await fixture.close();
  await numbering.stop();
  await routing.stop();
});

async function submit(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT), validSend(overrides));
  expect(response.statusCode).toBe(202);
  return String(response.body.message_id);
}

async function stored(id: string): Promise<{ status: string; pipeline_attempts: number; error_code: string | null }> {
  return withSystem(fixture.database.database.db, { role: fixture.database.roles.systemRole }, async (trx) => {
    const result = await sql<{ status: string; pipeline_attempts: number; error_code: string | null }>`
      SELECT status, pipeline_attempts, error_code FROM orch.sms_messages WHERE id = ${id}`.execute(trx);
    return result.rows[0]!;
  });
}

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await fixture.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}

describe('pipeline retries against real dependencies that go down', () => {
  it('retries a message while the routing engine is down and completes it once the engine is back', async () => {
    await routing.stop();
    const retriesBefore = await counter('orch_pipeline_retries_total', { stage: 'route' });
    const id = await submit({ client_reference: 'route-down-then-back' });
    await expect.poll(async () => (await stored(id)).pipeline_attempts, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(1);
    expect((await stored(id)).status).toBe('accepted');

    await routing.start();

    await expect.poll(async () => (await stored(id)).status, { timeout: 10_000, interval: 50 }).toBe('routed');
    expect((await stored(id)).pipeline_attempts).toBeGreaterThanOrEqual(2);
    expect(await counter('orch_pipeline_retries_total', { stage: 'route' })).toBeGreaterThan(retriesBefore);
    await expect.poll(() => collector.events.filter((e) => e.envelope.aggregateId === id).length, { timeout: 10_000 }).toBe(1);
  });

  it('retries a message while the numbering service is not listening and completes it once it listens again', async () => {
    await numbering.stop();
    const id = await submit({ client_reference: 'numbering-down-then-back' });
    await expect.poll(async () => (await stored(id)).pipeline_attempts, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(1);

    await numbering.start();

    await expect.poll(async () => (await stored(id)).status, { timeout: 15_000, interval: 50 }).toBe('routed');
  });

  it('dead-letters a message whose dependency stays down through every attempt, with an event and a metric', async () => {
    const dlqBefore = await counter('orch_dlq_messages_total', { stage: 'sender_lease' });
    const id = await submit({ from: DOWN_FOR_GOOD });

    await expect.poll(async () => (await stored(id)).status, { timeout: 15_000, interval: 50 }).toBe('dead_lettered');
    const view = await call(fixture.app, 'GET', `/v1/sms/${id}`, await fixture.headersFor(TENANT));
    await expect.poll(() => collector.events.filter((e) => e.envelope.aggregateId === id).length, { timeout: 10_000 }).toBe(1);
    const [deadLettered] = collector.events.filter((e) => e.envelope.aggregateId === id);

    expect(await stored(id)).toEqual({ status: 'dead_lettered', pipeline_attempts: 6, error_code: 'ORCH.RETRIES_EXHAUSTED' });
    expect(view.body).toMatchObject({ status: 'failed', error_code: 'ORCH.RETRIES_EXHAUSTED' });
    expect(deadLettered?.envelope).toMatchObject({ type: 'sms.message.dead-lettered.v1', data: { messageId: id, attempts: 6, stage: 'sender_lease' } });
    expect(createEventValidator().validate('sms.message.dead-lettered.v1', deadLettered?.envelope.data)).toBeNull();
    expect(await counter('orch_dlq_messages_total', { stage: 'sender_lease' })).toBe(dlqBefore + 1);
  });

  it('rejects at once, without retry, a message whose sender is not leased to the tenant', async () => {
    const id = await submit({ from: NOT_LEASED });

    await expect.poll(async () => (await stored(id)).status, { timeout: 10_000, interval: 50 }).toBe('rejected');
    expect(await stored(id)).toEqual({ status: 'rejected', pipeline_attempts: 1, error_code: 'ORCH.SENDER_NOT_LEASED' });
  });

  it('rejects at once a message no operator serves', async () => {
    const id = await submit({ to: '+93791230000' });

    await expect.poll(async () => (await stored(id)).status, { timeout: 10_000, interval: 50 }).toBe('rejected');
    expect((await stored(id)).error_code).toBe('ORCH.NO_ROUTE');
  });

  it('runs, from the sweeper, a message accepted long ago whose accepted event never arrived', async () => {
    const orphan = newMessage(TENANT, new Date(Date.now() - 5 * 60_000));
    await withTenant(fixture.database.database.db, { tenantId: TENANT, role: fixture.database.roles.appRole }, (trx) =>
      new PostgresMessageRepository(trx, 'orch').insert([orphan]),
    );

    await expect.poll(async () => (await stored(orphan.id)).status, { timeout: 10_000, interval: 50 }).toBe('routed');
  });
});
