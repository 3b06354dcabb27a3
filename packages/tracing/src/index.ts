export {
  initTracing,
  getTracer,
  injectTraceContext,
  extractTraceContext,
  withSpan,
  activeTraceIds,
} from './tracing.js';
export type { TracingExporter, TracingOptions, TracingHandle, WithSpanOptions } from './tracing.js';
export { ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
export type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
export type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
