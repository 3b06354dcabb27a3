import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import { LogController, fastify } from 'fastify';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { Registry } from 'prom-client';
import { malformedJsonProblem, problemFromError } from './error-mapping.js';
import { httpErrors } from './http-errors.js';
import { phaseOf } from './lifecycle.js';
import { UNMATCHED_ROUTE, createMetricsRegistry, httpDurationHistogram } from './metrics.js';
import { sendProblem } from './problem.js';
import { checkReadiness } from './readiness.js';
import type { ReadinessCheck } from './readiness.js';
import { RouteTable } from './route-table.js';
import { installRequestTracing } from './request-tracing.js';

/** The Fastify instance every service gets: Zod schemas type the handlers. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface CreateHttpAppOptions {
  /** Service name: OpenAPI `info.title` and the `service` label of the metrics. */
  readonly service: string;
  /** API version: OpenAPI `info.version`; its major part gates breaking changes. */
  readonly version: string;
  /** A pino logger (from `@sms/logging` `createLogger`). */
  readonly logger: FastifyBaseLogger;
  /** Dependencies checked by `GET /health/ready`. */
  readonly readiness?: readonly ReadinessCheck[];
  /** Where metrics go; a fresh `createMetricsRegistry(service)` when omitted. */
  readonly registry?: Registry;
  /** Largest accepted body in bytes; default 1 MiB. */
  readonly bodyLimit?: number;
  /** Fastify's `trustProxy`: set it when behind Kong so `request.ip` is the client's. */
  readonly trustProxy?: boolean | string | string[];
  /** OpenAPI `info.description`. */
  readonly description?: string;
}

export const REQUEST_ID_HEADER = 'x-request-id';
const INCOMING_ID_HEADERS = ['x-request-id', 'x-correlation-id'] as const;
// A caller's id is reused only if it is short and plain, so it cannot inject anything into logs or headers.
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

function requestIdFrom(request: RawRequestDefaultExpression): string {
  for (const name of INCOMING_ID_HEADERS) {
    const raw = request.headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && ACCEPTABLE_ID.test(value)) return value;
  }
  return randomUUID();
}

const isOperationalPath = (url: string): boolean => url.startsWith('/health/') || url === '/metrics';

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/';
}

/**
 * A Fastify app with Zod validation and serialization, OpenAPI 3.1 generation, request ids
 * (`X-Request-Id`/`X-Correlation-Id` reused or generated, echoed as `X-Request-Id`, logged as
 * `correlation_id`), problem+json for every error, `GET /health/live`, `GET /health/ready`
 * and `GET /metrics`. Register routes on it, then `startHttpServer`.
 */
export async function createHttpApp(options: CreateHttpAppOptions): Promise<HttpApp> {
  const registry = options.registry ?? createMetricsRegistry(options.service);
  const readiness = options.readiness ?? [];
  const routes = new RouteTable();
  const durations = httpDurationHistogram(registry);

  const app: HttpApp = fastify({
    loggerInstance: options.logger,
    genReqId: requestIdFrom,
    requestIdHeader: false,
    logController: new LogController({
      requestIdLogLabel: 'correlation_id',
      disableRequestLogging: (request) => isOperationalPath(request.url),
    }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // During close, requests on open keep-alive connections get our problem+json 503 instead.
    return503OnClosing: false,
    frameworkErrors: (error, request, reply) => {
      void sendProblem(reply, problemFromError(error, request));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void defaultJsonParser(request, body as string, (error, parsed) => {
      if (error) done(malformedJsonProblem(body as string), undefined);
      else done(null, parsed);
    });
  });

  app.addHook('onRoute', (route) => routes.add(route.method, route.url));
  installRequestTracing(app, options.service, isOperationalPath);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    if (phaseOf(app) === 'closing' && !isOperationalPath(request.url)) {
      return sendProblem(reply, {
        ...httpErrors['HTTP.SHUTTING_DOWN'],
        code: 'HTTP.SHUTTING_DOWN',
        detail: 'This instance is shutting down; retry the request.',
        headers: { connection: 'close', 'retry-after': '1' },
      });
    }
    return undefined;
  });

  app.addHook('onSend', async (_request, reply) => {
    // Once shutdown starts, every answer closes its connection so clients reconnect elsewhere.
    if (phaseOf(app) !== 'running') void reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    durations.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = problemFromError(error, request);
    if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status, detail: problem.detail }, 'request rejected');
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request);
    const allowed = routes.allowedMethods(path);
    if (allowed.length > 0) {
      return sendProblem(reply, {
        ...httpErrors['HTTP.METHOD_NOT_ALLOWED'],
        code: 'HTTP.METHOD_NOT_ALLOWED',
        detail: `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`,
        headers: { allow: allowed.join(', ') },
      });
    }
    return sendProblem(reply, {
      ...httpErrors['HTTP.ROUTE_NOT_FOUND'],
      code: 'HTTP.ROUTE_NOT_FOUND',
      detail: `No operation at ${request.method} ${path}.`,
    });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.service,
        version: options.version,
        ...(options.description !== undefined ? { description: options.description } : {}),
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.get('/health/live', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/health/ready', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    if (phaseOf(app) !== 'running') return reply.code(503).send({ status: 'shutting_down', checks: [] });
    const report = await checkReadiness(readiness);
    return reply.code(report.status === 'down' ? 503 : 200).send(report);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  return app;
}

/** The OpenAPI 3.1 document of an app whose routes are all registered. */
export async function openApiDocumentOf(app: HttpApp): Promise<OpenAPIV3_1.Document> {
  await app.ready();
  return app.swagger() as OpenAPIV3_1.Document;
}
