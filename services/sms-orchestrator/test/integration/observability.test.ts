import { initTracing } from '@sms/tracing';
import type { InMemorySpanExporter, ReadableSpan } from '@sms/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDeliveryStatus } from '../support/bus-collector.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';
import { startStubNumbering } from '../support/stub-numbering.js';
import type { StubNumbering } from '../support/stub-numbering.js';
import { startStubRoutingEngine } from '../support/stub-routing-engine.js';
import { waitFor } from '../support/wait-for.js';
import type { StubRoutingEngine } from '../support/stub-routing-engine.js';

let numbering: StubNumbering;
let routing: StubRoutingEngine;
let fixture: OrchestratorFixture;
let tracing: ReturnType<typeof initTracing>;
let spans: InMemorySpanExporter;
const TENANT = 'tenant-observed';
const SECRET_BODY = 'Your one-time code is 918273 do not share it';
const DESTINATION = '+93791234567';
let messageId: string;

beforeAll(async () => {
  tracing = initTracing({ service: 'sms-orchestrator-test', exporter: 'memory' });
  spans = tracing.memoryExporter!;
  numbering = await startStubNumbering();
  routing = await startStubRoutingEngine();
  fixture = await startOrchestratorFixture({
    label: 'orch_observability',
    env: { NUMBERING_GRPC_ADDRESS: numbering.address, ROUTING_ENGINE_URL: routing.url },
  });
  const headers = await fixture.headersFor(TENANT, { 'idempotency-key': 'observed-1' });
  const sent = await call(fixture.app, 'POST', '/v1/sms/send', headers, validSend({ to: DESTINATION, body: SECRET_BODY, callback_url: 'https://example.org/cb' }));
  messageId = String(sent.body.message_id);
  await call(fixture.app, 'POST', '/v1/sms/send', headers, validSend({ to: DESTINATION, body: SECRET_BODY, callback_url: 'https://example.org/cb' }));
  await call(fixture.app, 'POST', '/v1/sms/send', headers, validSend({ to: DESTINATION, body: `${SECRET_BODY}!` }));
  await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT), validSend({ to: '+9379123', body: SECRET_BODY }));
  const statusOf = async () => (await call(fixture.app, 'GET', `/v1/sms/${messageId}`, await fixture.headersFor(TENANT))).body.status;
  await waitFor(statusOf, (status) => status === 'routed');
  await publishDeliveryStatus(fixture.bus, fixture.orchestrator.subjects.deliveryStatus, { messageId, tenantId: TENANT, status: 'undelivered', errorCode: 'SMPP.0x0B', errorReason: `could not reach ${DESTINATION}` });
  await waitFor(statusOf, (status) => status === 'undelivered');
});
afterAll(async () => {
  await fixture.close();
  await numbering.stop();
  await routing.stop();
  await tracing.shutdown();
});

const finished = (): ReadableSpan[] => spans.getFinishedSpans();

describe('observability of the orchestrator', () => {
  it('exposes the six metric families and the gateway_* compatibility aliases on /metrics', async () => {
    const response = await fixture.app.inject({ method: 'GET', url: '/metrics' });
    const families = [
      'orch_submit_requests_total',
      'orch_submit_duration_seconds',
      'orch_pipeline_stage_duration_seconds',
      'orch_pipeline_duration_seconds',
      'orch_pipeline_retries_total',
      'orch_dlq_messages_total',
      'orch_dependency_requests_total',
      'orch_dependency_duration_seconds',
      'orch_outbox_pending_events',
      'gateway_sms_requests_total',
      'gateway_sms_request_duration_seconds',
      'gateway_idempotency_replays_total',
      'gateway_rate_limited_total',
      'gateway_nats_publish_errors_total',
    ];

    expect(response.statusCode).toBe(200);
    for (const family of families) expect(response.body).toContain(`# TYPE ${family} `);
    expect(response.body).toMatch(/orch_submit_requests_total\{[^}]*endpoint="send"[^}]*outcome="accepted"[^}]*\} 1/);
    expect(response.body).toMatch(/orch_submit_requests_total\{[^}]*outcome="replayed"[^}]*\} 1/);
    expect(response.body).toMatch(/gateway_idempotency_replays_total\{[^}]*\} 1/);
    expect(response.body).toMatch(/orch_pipeline_stage_duration_seconds_count\{[^}]*stage="route"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(response.body).toMatch(/orch_dependency_requests_total\{[^}]*dependency="routing-engine"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(response.body).toMatch(/orch_dependency_requests_total\{[^}]*dependency="nats"[^}]*outcome="ok"[^}]*\} [1-9]/);
  });

  it('records a span for the submit inside the HTTP request span', () => {
    const submit = finished().find((s) => s.name === 'orch.submit send');
    const http = finished().find((s) => s.name === 'HTTP POST /v1/sms/send' && s.spanContext().traceId === submit?.spanContext().traceId);

    expect(submit).toBeDefined();
    expect(submit?.parentSpanContext?.spanId).toBe(http?.spanContext().spanId);
  });

  it('records the pipeline run with a span per stage, in the trace of the request that accepted the message', () => {
    const pipeline = finished().find((s) => s.name === 'orch.pipeline' && s.attributes['orch.message_id'] === messageId);
    const traceId = pipeline?.spanContext().traceId;
    const stages = finished()
      .filter((s) => s.spanContext().traceId === traceId && s.name.startsWith('orch.stage '))
      .map((s) => [s.name, s.parentSpanContext?.spanId === pipeline?.spanContext().spanId]);
    const submit = finished().find((s) => s.name === 'orch.submit send' && s.spanContext().traceId === traceId);

    expect(stages).toEqual([
      ['orch.stage validate', true],
      ['orch.stage sender_lease', true],
      ['orch.stage route', true],
      ['orch.stage dispatch', true],
    ]);
    expect(submit).toBeDefined();
  });

  it('never writes the message body or the full destination number to the logs', () => {
    const all = fixture.logLines.join('\n');

    expect(fixture.logLines.length).toBeGreaterThan(10);
    expect(all).toContain(messageId);
    expect(all).not.toContain(SECRET_BODY);
    expect(all).not.toContain('918273');
    expect(all).not.toContain('93791234567');
    expect(all).not.toContain('9379123');
  });
});
