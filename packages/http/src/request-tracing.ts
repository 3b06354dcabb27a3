import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { extractTraceContext, getTracer } from '@sms/tracing';
import type { HttpApp } from './create-http-app.js';

const spans = new WeakMap<FastifyRequest, Span>();

function headerRecord(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate'] as const) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/**
 * One server span per request, child of the caller's W3C `traceparent` when it sends one, and
 * active while the route runs: whatever the handler does (queries, an outbox row, an outgoing call)
 * continues the caller's trace. Health and metrics requests are not traced.
 */
export function installRequestTracing(app: HttpApp, service: string, isOperationalPath: (url: string) => boolean): void {
  const tracer = getTracer(`@sms/http/${service}`);
  app.addHook('onRequest', (request, _reply, done) => {
    if (isOperationalPath(request.url)) {
      done();
      return;
    }
    const parent = extractTraceContext(headerRecord(request));
    const span = tracer.startSpan(
      `HTTP ${request.method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.url.split('?')[0] ?? '/' } },
      parent,
    );
    spans.set(request, span);
    // Continuing inside `context.with` makes the span active for the rest of the request's hooks and handler.
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    const route = request.routeOptions.url;
    if (route) span.updateName(`HTTP ${request.method} ${route}`);
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (route) span.setAttribute('http.route', route);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  });
}
