import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { initTracing, injectTraceContext, SpanKind, SpanStatusCode, withSpan } from '@sms/tracing';
import type { InMemorySpanExporter, ReadableSpan, TracingHandle } from '@sms/tracing';
import { startGrpcHarness } from '../support/grpc-harness.js';
import type { GrpcHarness } from '../support/grpc-harness.js';
import type { NumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld } from '../support/postgres-world.js';
import { createTestAuth } from '../support/test-auth.js';
import type { TestAuth } from '../support/test-auth.js';

const TENANT = 'tenant-trace';

describe('tracing of the Numbering gRPC API', () => {
  let fixture: PostgresFixture;
  let auth: TestAuth;
  let grpc: GrpcHarness;
  let tracing: TracingHandle;
  let spans: InMemorySpanExporter;
  let token: string;

  beforeAll(async () => {
    tracing = initTracing({ service: 'numbering-grpc-tracing-test', exporter: 'memory' });
    if (tracing.memoryExporter === undefined) throw new Error('the memory exporter is missing');
    spans = tracing.memoryExporter;
    fixture = await createPostgresFixture('numbering_grpc_tracing');
    auth = await createTestAuth();
    const world = await createPostgresWorld(fixture, { tenants: [TENANT] });
    await world.addNumbers(['+93707770001']);
    grpc = await startGrpcHarness(world.useCases, auth.verifier);
    token = await auth.service('sms-orchestrator');
  });
  afterAll(async () => {
    await grpc.close();
    await tracing.shutdown();
    await auth.cleanup();
    await fixture.close();
  });

  const serverSpans = (): ReadableSpan[] => spans.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);

  it("records a SERVER span per call, child of the caller's span named in the traceparent metadata", async () => {
    spans.reset();

    const caller = await withSpan(
      'caller',
      async (span) => {
        await grpc.client.validateLease({ sender: '+93707770001', tenantId: TENANT, use: 'transactional' }, { token, metadata: injectTraceContext({}) });
        return span.spanContext();
      },
      { kind: SpanKind.CLIENT },
    );

    const [server] = serverSpans();
    expect(serverSpans()).toHaveLength(1);
    expect(server?.name).toBe('sms.numbering.v1.Numbering/ValidateLease');
    expect(server?.spanContext().traceId).toBe(caller.traceId);
    expect(server?.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(server?.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.service': 'sms.numbering.v1.Numbering', 'rpc.method': 'ValidateLease', 'rpc.grpc.status_code': status.OK });
  });

  it('starts a new trace for a call without trace context', async () => {
    spans.reset();

    await grpc.client.validateLease({ sender: '+93707770001', tenantId: TENANT, use: 'transactional' }, { token });

    const [server] = serverSpans();
    expect(server?.parentSpanContext).toBeUndefined();
    expect(server?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('records a refusal with its status and numbering code, without marking the span as failed', async () => {
    spans.reset();

    await expect(grpc.client.validateLease({ sender: 'not-a-number', tenantId: TENANT, use: 'transactional' }, { token })).rejects.toThrow();

    const [server] = serverSpans();
    expect(server?.attributes).toMatchObject({ 'rpc.grpc.status_code': status.INVALID_ARGUMENT, 'numbering.error_code': 'NUMBERING.INVALID_ARGUMENT' });
    expect(server?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('records an unauthenticated call as answered UNAUTHENTICATED', async () => {
    spans.reset();

    await expect(grpc.client.lookup({ number: '+93707770001' }, { token: 'not-a-token' })).rejects.toThrow();

    const [server] = serverSpans();
    expect(server?.name).toBe('sms.numbering.v1.Numbering/Lookup');
    expect(server?.attributes['rpc.grpc.status_code']).toBe(status.UNAUTHENTICATED);
  });

  it('marks the span as failed when the server fails', async () => {
    const broken = await startGrpcHarness(
      {
        get validateLease(): never {
          throw new Error('use cases not wired');
        },
      } as unknown as NumberingUseCases,
      auth.verifier,
    );
    spans.reset();

    await expect(broken.client.validateLease({ sender: '+93707770001', tenantId: TENANT, use: 'transactional' }, { token })).rejects.toThrow();
    await broken.close();

    const [server] = serverSpans();
    expect(server?.attributes['rpc.grpc.status_code']).toBe(status.INTERNAL);
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
  });
});
