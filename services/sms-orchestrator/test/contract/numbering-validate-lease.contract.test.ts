import { credentials, status } from '@grpc/grpc-js';
import { initTracing, SpanKind, SpanStatusCode, withSpan } from '@sms/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcSenderLeaseChecker } from '../../src/adapters/grpc/grpc-sender-lease.checker.js';
import { createNumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import type { NumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import { staticServiceToken } from '../../src/adapters/service-token.js';
import { LEASED, startStubNumbering } from '../support/stub-numbering.js';
import type { StubNumbering } from '../support/stub-numbering.js';

// The orchestrator's ValidateLease client outside what the Pact file can say (the answers themselves
// are the pact's: numbering-validate-lease.pact.test.ts): the metadata it sends (service token,
// trace context), its CLIENT span, and every failure status, deadline and absent server. The stub
// serves the service definition generated from the shared proto (sms.numbering.v1).
let stub: StubNumbering;
let client: NumberingClient;
const query = { tenantId: 'tenant-a', sender: { kind: 'msisdn' as const, value: '+93701234567' }, at: new Date() };

beforeAll(async () => {
  stub = await startStubNumbering();
  client = createNumberingClient(stub.address, credentials.createInsecure(), { timeoutMs: 2_000 });
});
afterAll(async () => {
  client.close();
  await stub.stop();
});

const checker = (timeoutMs = 2_000) => new GrpcSenderLeaseChecker({ client, tokens: staticServiceToken('svc-token'), timeoutMs });

describe('the numbering-service ValidateLease contract (consumer: sms-orchestrator)', () => {
  it('asks with the sender, the tenant and the use, and the service token in the metadata', async () => {
    stub.answer(() => LEASED);
    const calls = stub.calls.length;

    await checker().check(query);

    const call = stub.calls[calls];
    expect(call?.request).toEqual({ sender: '+93701234567', tenantId: 'tenant-a', use: 'transactional' });
    expect(call?.metadata.authorization).toBe('Bearer svc-token');
  });

  it('calls inside a CLIENT span of the pipeline span, whose context goes in the traceparent metadata', async () => {
    const tracing = initTracing({ service: 'orch-contract-test', exporter: 'memory' });
    stub.answer(() => LEASED);
    const calls = stub.calls.length;

    const pipeline = await withSpan('orch.pipeline', async (span) => {
      await checker().check(query);
      return span.spanContext();
    });
    const client = tracing.memoryExporter?.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT);
    await tracing.shutdown();

    expect(client?.name).toBe('sms.numbering.v1.Numbering/ValidateLease');
    expect(client?.parentSpanContext?.spanId).toBe(pipeline.spanId);
    expect(client?.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.method': 'ValidateLease', 'rpc.grpc.status_code': status.OK });
    expect(stub.calls[calls]?.metadata.traceparent).toBe(`00-${pipeline.traceId}-${client?.spanContext().spanId ?? ''}-01`);
  });

  it('marks the CLIENT span as failed when numbering is unavailable', async () => {
    const tracing = initTracing({ service: 'orch-contract-test', exporter: 'memory' });
    stub.answer(() => ({ error: status.UNAVAILABLE }));

    await checker().check(query);
    const client = tracing.memoryExporter?.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT);
    await tracing.shutdown();

    expect(client?.status.code).toBe(SpanStatusCode.ERROR);
    expect(client?.attributes['rpc.grpc.status_code']).toBe(status.UNAVAILABLE);
  });

  it('maps valid to leased', async () => {
    stub.answer(() => LEASED);

    expect(await checker().check(query)).toEqual({ outcome: 'leased' });
  });

  it("maps valid: false to not-leased with numbering's reason", async () => {
    stub.answer(() => ({ response: { valid: false, reason: 'not_leased_to_tenant' } }));

    expect(await checker().check(query)).toEqual({ outcome: 'not-leased', reason: 'not_leased_to_tenant' });
  });

  it('maps NOT_FOUND and INVALID_ARGUMENT to not-leased (retrying cannot help)', async () => {
    stub.answer((request) => ({ error: request.sender === '+93701234567' ? status.NOT_FOUND : status.INVALID_ARGUMENT, code: 'NUMBERING.NOT_FOUND' }));

    const result = await checker().check(query);

    expect(result.outcome).toBe('not-leased');
    expect(result.outcome === 'not-leased' ? result.reason : '').toContain('NOT_FOUND NUMBERING.NOT_FOUND');
  });

  it('maps UNAVAILABLE, RESOURCE_EXHAUSTED and PERMISSION_DENIED to unavailable (the pipeline retries)', async () => {
    const outcomes = [];
    for (const code of [status.UNAVAILABLE, status.RESOURCE_EXHAUSTED, status.PERMISSION_DENIED]) {
      stub.answer(() => ({ error: code }));
      outcomes.push((await checker().check(query)).outcome);
    }

    expect(outcomes).toEqual(['unavailable', 'unavailable', 'unavailable']);
  });

  it('maps a call past its deadline to unavailable, saying it timed out', async () => {
    stub.answer(() => ({ error: status.UNAVAILABLE, delayMs: 500 }));

    const result = await checker(100).check(query);

    expect(result).toEqual({ outcome: 'unavailable', reason: expect.stringContaining('timed out') as string });
  });

  it('maps a numbering service that is not listening to unavailable', async () => {
    const down = createNumberingClient('127.0.0.1:9', credentials.createInsecure(), { timeoutMs: 500 });
    const result = await new GrpcSenderLeaseChecker({ client: down, tokens: staticServiceToken('t'), timeoutMs: 500 }).check(query);
    down.close();

    expect(result.outcome).toBe('unavailable');
  });
});
