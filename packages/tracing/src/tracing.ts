import { context, propagation, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Context, Span, TextMapGetter, Tracer } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Where finished spans go. `none` still creates and propagates trace ids (for log correlation) but exports nothing. */
export type TracingExporter = 'none' | 'console' | 'otlp' | 'memory';

export interface TracingOptions {
  /** `service.name` of the resource. */
  readonly service: string;
  readonly exporter: TracingExporter;
  /**
   * OTLP/HTTP collector, for `exporter: 'otlp'`: a base URL (`http://collector:4318`, to which `/v1/traces` is
   * appended) or the full traces URL. Without it the exporter's own default applies
   * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `http://localhost:4318/v1/traces`).
   */
  readonly otlpEndpoint?: string;
}

export interface TracingHandle {
  /** Flushes pending spans and unregisters the provider, propagator and context manager. */
  shutdown(): Promise<void>;
  /** Present for `exporter: 'memory'`: the spans finished so far, for tests. */
  readonly memoryExporter?: InMemorySpanExporter;
}

export interface WithSpanOptions {
  readonly attributes?: Attributes;
  readonly kind?: SpanKind;
  /** Parent context (e.g. from {@link extractTraceContext}); defaults to the active context. */
  readonly parent?: Context;
}

let current: TracingHandle | undefined;

/**
 * Sets up OpenTelemetry for this process: a NodeTracerProvider, the W3C TraceContext (and Baggage) propagator and
 * an AsyncLocalStorage context manager. Only the chosen exporter is built, so `none` never opens a socket.
 * A second call returns the handle of the first (its options are ignored) until that one is shut down.
 */
export function initTracing(options: TracingOptions): TracingHandle {
  if (current) return current;

  const memoryExporter = options.exporter === 'memory' ? new InMemorySpanExporter() : undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: spanProcessorsFor(options, memoryExporter),
  });
  // `contextManager: undefined` makes the provider install its default, the AsyncLocalStorage context manager.
  provider.register({
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });

  let shutdownPromise: Promise<void> | undefined;
  const handle: TracingHandle = {
    ...(memoryExporter ? { memoryExporter } : {}),
    shutdown() {
      shutdownPromise ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          trace.disable();
          propagation.disable();
          context.disable();
          if (current === handle) current = undefined;
        }
      })();
      return shutdownPromise;
    },
  };
  current = handle;
  return handle;
}

function spanProcessorsFor(options: TracingOptions, memoryExporter: InMemorySpanExporter | undefined): SpanProcessor[] {
  switch (options.exporter) {
    case 'none':
      return [];
    case 'memory':
      // Simple (synchronous) processing: a test sees a span as soon as it ends.
      return memoryExporter ? [new SimpleSpanProcessor(memoryExporter)] : [];
    case 'console':
      return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
    case 'otlp':
      return [
        new BatchSpanProcessor(
          new OTLPTraceExporter(options.otlpEndpoint ? { url: tracesUrl(options.otlpEndpoint) } : {}),
        ),
      ];
  }
}

function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/traces';
  return url.toString();
}

export function getTracer(name: string): Tracer {
  return trace.getTracer(name);
}

/**
 * Writes `traceparent` (and `tracestate`, `baggage` when present) for the given context, by default the active
 * one, into `headers`, and returns them. Writes nothing when there is no span or tracing is not initialised.
 */
export function injectTraceContext(
  headers: Record<string, string>,
  from: Context = context.active(),
): Record<string, string> {
  propagation.inject(from, headers);
  return headers;
}

// Header names differ in case between transports (HTTP lower-cases them, NATS keeps them), so look up either way.
const caseInsensitiveGetter: TextMapGetter<Readonly<Record<string, string | string[] | undefined>>> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const exact = carrier[key];
    if (exact !== undefined) return exact;
    const wanted = key.toLowerCase();
    for (const [name, value] of Object.entries(carrier)) {
      if (name.toLowerCase() === wanted) return value;
    }
    return undefined;
  },
};

/**
 * The context carried by `headers` (W3C trace context) on top of `base` (by default the active context); use it as
 * a span's parent. Pass `ROOT_CONTEXT` as `base` where the active context is unrelated to the message (a consumer
 * loop), so a message without trace headers starts a new trace.
 */
export function extractTraceContext(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  base: Context = context.active(),
): Context {
  return propagation.extract(base, headers, caseInsensitiveGetter);
}

/**
 * Runs `fn` inside a new active span: the span ends when `fn` settles; a thrown error is recorded on it
 * (exception event, status ERROR) and rethrown.
 */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => Promise<T> | T,
  options: WithSpanOptions = {},
): Promise<T> {
  const tracer = getTracer('@sms/tracing');
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Trace and span id of the active span, for log lines; undefined outside any span. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
