import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  activeTraceIds,
  extractTraceContext,
  initTracing,
  injectTraceContext,
  SpanKind,
  SpanStatusCode,
  withSpan,
} from '@sms/tracing';
import type { TracingHandle } from '@sms/tracing';

let handle: TracingHandle | undefined;

afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function memoryTracing(): NonNullable<TracingHandle['memoryExporter']> {
  handle = initTracing({ service: 'tracing-test', exporter: 'memory' });
  if (!handle.memoryExporter) throw new Error('memory exporter expected');
  return handle.memoryExporter;
}

/** A local HTTP server standing in for an OTLP collector; counts the trace exports it receives. */
async function fakeCollector(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('initTracing', () => {
  it('exports finished spans to the memory exporter with the service name on the resource', async () => {
    const exporter = memoryTracing();

    await withSpan('unit of work', () => 'done');

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['unit of work']);
    expect(spans[0]?.resource.attributes['service.name']).toBe('tracing-test');
  });

  it('returns the same handle when called twice', () => {
    const first = initTracing({ service: 'tracing-test', exporter: 'memory' });
    handle = first;

    const second = initTracing({ service: 'another', exporter: 'none' });

    expect(second).toBe(first);
  });

  it('can be set up again after a shutdown', async () => {
    await initTracing({ service: 'first', exporter: 'memory' }).shutdown();

    const exporter = memoryTracing();
    await withSpan('after restart', () => undefined);

    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['after restart']);
  });

  it('still creates trace ids with the none exporter', async () => {
    handle = initTracing({ service: 'tracing-test', exporter: 'none' });

    const ids = await withSpan('work', () => activeTraceIds());

    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends nothing with the none exporter even when an OTLP endpoint is set in the environment', async () => {
    const collector = await fakeCollector();
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', `${collector.url}/v1/traces`);
    handle = initTracing({ service: 'tracing-test', exporter: 'none' });

    await withSpan('work', () => undefined);
    await handle.shutdown();
    await collector.close();

    expect(collector.requests).toEqual([]);
  });

  it('sends spans to the given OTLP endpoint', async () => {
    const collector = await fakeCollector();
    handle = initTracing({ service: 'tracing-test', exporter: 'otlp', otlpEndpoint: collector.url });

    await withSpan('work', () => undefined);
    await handle.shutdown();
    await collector.close();

    expect(collector.requests).toEqual(['POST /v1/traces']);
  });

  it('prints finished spans with the console exporter', async () => {
    const dir = vi.spyOn(console, 'dir').mockImplementation(() => undefined);
    handle = initTracing({ service: 'tracing-test', exporter: 'console' });

    await withSpan('printed', () => undefined);

    expect(dir).toHaveBeenCalledWith(expect.objectContaining({ name: 'printed' }), expect.anything());
  });
});

describe('withSpan', () => {
  it('records a thrown error on the span, marks it failed and rethrows', async () => {
    const exporter = memoryTracing();

    const run = withSpan('failing', () => Promise.reject(new Error('boom')));

    await expect(run).rejects.toThrow('boom');
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('applies the given kind and attributes', async () => {
    const exporter = memoryTracing();

    await withSpan('consume', () => undefined, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats' } });

    const [span] = exporter.getFinishedSpans();
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.attributes['messaging.system']).toBe('nats');
  });

  it('nests a span started inside another under it', async () => {
    const exporter = memoryTracing();

    await withSpan('outer', () => withSpan('inner', () => undefined));

    const spans = exporter.getFinishedSpans();
    const outer = spans.find((s) => s.name === 'outer');
    const inner = spans.find((s) => s.name === 'inner');
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
  });
});

describe('trace context propagation', () => {
  it('writes a traceparent of the active span into headers', async () => {
    memoryTracing();

    const { headers, ids } = await withSpan('publisher', () => ({
      headers: injectTraceContext({ 'x-other': 'kept' }),
      ids: activeTraceIds(),
    }));

    expect(headers['x-other']).toBe('kept');
    expect(headers.traceparent).toBe(`00-${ids?.traceId}-${ids?.spanId}-01`);
  });

  it('writes no traceparent outside any span', () => {
    memoryTracing();

    const headers = injectTraceContext({});

    expect(headers).toEqual({});
  });

  it('makes the span that injected the headers the parent of a span started from the extracted context', async () => {
    const exporter = memoryTracing();
    const headers = await withSpan('publisher', () => injectTraceContext({}));

    await withSpan('consumer', () => undefined, { parent: extractTraceContext(headers) });

    const publisher = exporter.getFinishedSpans().find((s) => s.name === 'publisher');
    const consumer = exporter.getFinishedSpans().find((s) => s.name === 'consumer');
    expect(consumer?.spanContext().traceId).toBe(publisher?.spanContext().traceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(publisher?.spanContext().spanId);
  });

  it('reads the traceparent header whatever the case of its name', async () => {
    const exporter = memoryTracing();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

    await withSpan('consumer', () => undefined, {
      parent: extractTraceContext({ TraceParent: `00-${traceId}-00f067aa0ba902b7-01` }),
    });

    expect(exporter.getFinishedSpans()[0]?.spanContext().traceId).toBe(traceId);
  });
});
