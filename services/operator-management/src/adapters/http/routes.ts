import { authProblemResponses } from '@sms/auth';
import { enableIdempotencyKeys, ProblemError, problemResponse, type HttpApp, type IdempotencyRecords } from '@sms/http';
import type { FastifyReply } from 'fastify';
import type { OperatorStatus } from '../../domain/operator.js';
import { operatorManagementErrors } from '../../domain/operator-management-errors.js';
import type { OperatorManagement } from '../composition.js';
import type { OpsMetrics } from '../observability/ops-metrics.js';
import { callerOf, identifyCaller, requireAdmin, requireHealthReporter, type CallerPolicy } from './caller.js';
import { orProblem } from './problems.js';
import {
  connectionAddedView,
  connectionParams,
  connectionRemovedView,
  createOperatorBody,
  credentialsView,
  deletionView,
  healthIngestView,
  healthReportBody,
  ifMatchHeaders,
  listOperatorsQuery,
  newConnectionBody,
  operatorChangeView,
  operatorHealthList,
  operatorHealthView,
  operatorPage,
  operatorParams,
  operatorView,
  passwordSetView,
  replaceRoutingRulesBody,
  routingRuleSetView,
  routingRulesReplacedView,
  setPasswordBody,
  updateConnectionBody,
  updateOperatorBody,
} from './schemas.js';

/** What the routes need once the service has started (the OpenAPI generator registers them without it). */
export interface OpsHttpRuntime {
  readonly useCases: OperatorManagement;
  readonly callerPolicy: CallerPolicy;
  readonly metrics: OpsMetrics;
  /** Idempotency-Key records of the write routes (`ops.idempotency_keys`). */
  readonly idempotency: IdempotencyRecords;
}

/** Whose Idempotency-Key: keys of two callers never meet. */
function idempotencyScopeOf(caller: ReturnType<typeof callerOf>): string {
  switch (caller.kind) {
    case 'user':
      return `user:${caller.subject}`;
    case 'service':
      return `service:${caller.service}`;
    case 'anonymous':
      throw new Error('an anonymous caller reached an administrative write route');
  }
}

const TAG_OPERATORS = 'operators';
const TAG_CREDENTIALS = 'credentials';
const TAG_HEALTH = 'health';
const TAG_ROUTING = 'routing rules';

const problems = (entries: Record<number, string>) =>
  Object.fromEntries(Object.entries(entries).map(([status, description]) => [status, problemResponse(description)]));

const ETAG = /^(?:W\/)?"?(\d{1,9})"?$/;

/** The version in an `If-Match` header (`"3"`, `W/"3"` or `3`); undefined when absent. */
function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const match = ETAG.exec(ifMatch.trim());
  if (!match?.[1]) {
    throw ProblemError.of(operatorManagementErrors, 'OPS.VALIDATION_FAILED', {
      detail: 'If-Match must be the version of the resource as its ETag gives it, e.g. "3"',
      extra: { issues: [{ field: 'headers.if-match', message: 'must be a version number in quotes' }], errors: [{ field: 'headers.if-match', message: 'must be a version number in quotes' }] },
    });
  }
  return Number(match[1]);
}

const withEtag = <T extends { readonly version: number }>(reply: FastifyReply, view: T): T => {
  void reply.header('etag', `"${view.version}"`);
  return view;
};

/**
 * The internal REST API of operator-management (docs/api.md). Every route needs a caller (bearer
 * token, or a verified client certificate over mTLS); writes need an administrator; credentials
 * are for the SMPP gateway's service identity only. Handlers map use-case errors to problem+json.
 */
export function registerOpsRoutes(app: HttpApp, runtime: () => OpsHttpRuntime): void {
  const policy = (): CallerPolicy => runtime().callerPolicy;
  const useCases = (): OperatorManagement => runtime().useCases;
  const read = { onRequest: identifyCaller(policy) };
  const write = { onRequest: identifyCaller(policy), preHandler: requireAdmin() };
  // Every administrative write takes an optional Idempotency-Key (claimed after requireAdmin);
  // health reports are telemetry, superseded by the next one.
  enableIdempotencyKeys(app, {
    records: () => runtime().idempotency,
    callerOf: (request) => idempotencyScopeOf(callerOf(request)),
    appliesTo: ({ url }) => url !== '/v1/health-reports',
  });

  app.post(
    '/v1/operators',
    {
      ...write,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'Create an operator with its SMPP connections (passwords go to the secret store)',
        body: createOperatorBody,
        response: {
          201: operatorView,
          ...authProblemResponses(),
          ...problems({ 400: 'OPS.VALIDATION_FAILED', 409: 'OPS.OPERATOR_DUPLICATE', 503: 'OPS.SECRET_STORE_UNAVAILABLE' }),
        },
      },
    },
    async (request, reply) => {
      const view = orProblem(await useCases().createOperator.execute(request.body));
      return reply.code(201).header('location', `/v1/operators/${view.id}`).header('etag', `"${view.version}"`).send(view);
    },
  );

  app.get(
    '/v1/operators',
    {
      ...read,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'List operators (active and suspended by default), a page at a time in creation order',
        querystring: listOperatorsQuery,
        response: { 200: operatorPage, ...authProblemResponses(), ...problems({ 400: 'OPS.VALIDATION_FAILED' }) },
      },
    },
    async (request) => {
      const { status, limit, cursor } = request.query;
      const statuses = status?.split(',').map((s) => s.trim() as OperatorStatus);
      return orProblem(
        await useCases().listOperators.execute({
          ...(statuses ? { statuses } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(cursor !== undefined ? { cursor } : {}),
        }),
      );
    },
  );

  app.get(
    '/v1/operators/:operatorId',
    {
      ...read,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'One operator, deleted ones included (history); ETag is its version',
        params: operatorParams,
        response: { 200: operatorView, ...authProblemResponses(), ...problems({ 404: 'OPS.OPERATOR_NOT_FOUND' }) },
      },
    },
    async (request, reply) => withEtag(reply, orProblem(await useCases().getOperator.execute(request.params.operatorId))),
  );

  app.patch(
    '/v1/operators/:operatorId',
    {
      ...write,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'Change operator fields, or suspend/resume it',
        params: operatorParams,
        headers: ifMatchHeaders,
        body: updateOperatorBody,
        response: {
          200: operatorChangeView,
          ...authProblemResponses(),
          ...problems({ 400: 'OPS.VALIDATION_FAILED', 404: 'OPS.OPERATOR_NOT_FOUND', 409: 'OPS.OPERATOR_DUPLICATE or OPS.VERSION_CONFLICT', 410: 'OPS.OPERATOR_DELETED' }),
        },
      },
    },
    async (request) => {
      const expectedVersion = expectedVersionOf(request.headers['if-match']);
      return orProblem(
        await useCases().updateOperator.execute({
          operatorId: request.params.operatorId,
          patch: request.body,
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        }),
      );
    },
  );

  app.delete(
    '/v1/operators/:operatorId',
    {
      ...write,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'Soft-delete an operator: it leaves lists and routing, its record and history stay',
        params: operatorParams,
        headers: ifMatchHeaders,
        response: {
          200: deletionView,
          ...authProblemResponses(),
          ...problems({ 404: 'OPS.OPERATOR_NOT_FOUND', 409: 'OPS.OPERATOR_IN_USE or OPS.VERSION_CONFLICT' }),
        },
      },
    },
    async (request) => {
      const expectedVersion = expectedVersionOf(request.headers['if-match']);
      return orProblem(
        await useCases().softDeleteOperator.execute({
          operatorId: request.params.operatorId,
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        }),
      );
    },
  );

  app.post(
    '/v1/operators/:operatorId/connections',
    {
      ...write,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'Add an SMPP connection (its password, when given, goes to the secret store first)',
        params: operatorParams,
        body: newConnectionBody,
        response: {
          201: connectionAddedView,
          ...authProblemResponses(),
          ...problems({
            400: 'OPS.VALIDATION_FAILED',
            404: 'OPS.OPERATOR_NOT_FOUND',
            409: 'OPS.CONNECTION_DUPLICATE or OPS.VERSION_CONFLICT',
            410: 'OPS.OPERATOR_DELETED',
            503: 'OPS.SECRET_STORE_UNAVAILABLE',
          }),
        },
      },
    },
    async (request, reply) => {
      const { password, ...settings } = request.body;
      const added = orProblem(
        await useCases().addConnection.execute({
          operatorId: request.params.operatorId,
          settings,
          ...(password !== undefined ? { password } : {}),
        }),
      );
      void reply.code(201);
      return added;
    },
  );

  app.patch(
    '/v1/operators/:operatorId/connections/:connectionId',
    {
      ...write,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'Change an SMPP connection’s settings (not its password)',
        params: connectionParams,
        headers: ifMatchHeaders,
        body: updateConnectionBody,
        response: {
          200: operatorChangeView,
          ...authProblemResponses(),
          ...problems({
            400: 'OPS.VALIDATION_FAILED',
            404: 'OPS.OPERATOR_NOT_FOUND or OPS.CONNECTION_NOT_FOUND',
            409: 'OPS.CONNECTION_DUPLICATE or OPS.VERSION_CONFLICT',
            410: 'OPS.OPERATOR_DELETED',
          }),
        },
      },
    },
    async (request) => {
      const expectedVersion = expectedVersionOf(request.headers['if-match']);
      return orProblem(
        await useCases().updateConnection.execute({
          ...request.params,
          patch: request.body,
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        }),
      );
    },
  );

  app.delete(
    '/v1/operators/:operatorId/connections/:connectionId',
    {
      ...write,
      schema: {
        tags: [TAG_OPERATORS],
        summary: 'Remove an SMPP connection, then its password from the secret store',
        params: connectionParams,
        headers: ifMatchHeaders,
        response: {
          200: connectionRemovedView,
          ...authProblemResponses(),
          ...problems({
            404: 'OPS.OPERATOR_NOT_FOUND or OPS.CONNECTION_NOT_FOUND',
            409: 'OPS.LAST_CONNECTION or OPS.VERSION_CONFLICT',
            410: 'OPS.OPERATOR_DELETED',
          }),
        },
      },
    },
    async (request) => {
      const expectedVersion = expectedVersionOf(request.headers['if-match']);
      return orProblem(
        await useCases().removeConnection.execute({ ...request.params, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }),
      );
    },
  );

  app.put(
    '/v1/operators/:operatorId/connections/:connectionId/password',
    {
      ...write,
      schema: {
        tags: [TAG_CREDENTIALS],
        summary: 'Set or rotate a connection’s bind password (stored in the secret store only)',
        params: connectionParams,
        body: setPasswordBody,
        response: {
          200: passwordSetView,
          ...authProblemResponses(),
          ...problems({
            400: 'OPS.VALIDATION_FAILED',
            404: 'OPS.OPERATOR_NOT_FOUND or OPS.CONNECTION_NOT_FOUND',
            409: 'OPS.VERSION_CONFLICT',
            410: 'OPS.OPERATOR_DELETED',
            503: 'OPS.SECRET_STORE_UNAVAILABLE',
          }),
        },
      },
    },
    async (request) => orProblem(await useCases().setConnectionPassword.execute({ ...request.params, password: request.body.password })),
  );

  app.get(
    '/v1/operators/:operatorId/connections/:connectionId/credentials',
    {
      ...read,
      schema: {
        tags: [TAG_CREDENTIALS],
        summary: 'The bind credentials of a connection: for the SMPP gateway’s service identity only',
        description: 'The only answer of this service that contains a password. Never cached (Cache-Control: no-store).',
        params: connectionParams,
        response: {
          200: credentialsView,
          ...authProblemResponses(),
          ...problems({
            403: 'OPS.CREDENTIALS_FORBIDDEN',
            404: 'OPS.OPERATOR_NOT_FOUND, OPS.CONNECTION_NOT_FOUND or OPS.CREDENTIALS_NOT_SET',
            410: 'OPS.OPERATOR_DELETED',
            503: 'OPS.SECRET_STORE_UNAVAILABLE',
          }),
        },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const { useCases: cases, metrics } = runtime();
      const result = await cases.getConnectionCredentials.execute({ caller: callerOf(request), ...request.params });
      metrics.credentialRequests.inc({ outcome: result.ok ? 'granted' : result.error.code });
      return orProblem(result);
    },
  );

  app.post(
    '/v1/health-reports',
    {
      onRequest: identifyCaller(policy),
      preHandler: requireHealthReporter(policy),
      schema: {
        tags: [TAG_HEALTH],
        summary: 'Ingest one per-connection health report from the SMPP gateway (also accepted on NATS ops.health.report)',
        body: healthReportBody,
        response: {
          200: healthIngestView,
          ...authProblemResponses(),
          ...problems({ 400: 'OPS.VALIDATION_FAILED', 404: 'OPS.OPERATOR_NOT_FOUND or OPS.CONNECTION_NOT_FOUND', 410: 'OPS.OPERATOR_DELETED' }),
        },
      },
    },
    async (request) => {
      const { useCases: cases, metrics } = runtime();
      const result = await cases.ingestHealthReport.execute({ ...request.body, at: new Date(request.body.at) });
      metrics.recordHealthReport('http', result);
      return orProblem(result);
    },
  );

  app.get(
    '/v1/operators/:operatorId/health',
    {
      ...read,
      schema: {
        tags: [TAG_HEALTH],
        summary: 'The current health of one operator (unknown before its first report)',
        params: operatorParams,
        response: { 200: operatorHealthView, ...authProblemResponses(), ...problems({ 404: 'OPS.OPERATOR_NOT_FOUND' }) },
      },
    },
    async (request) => orProblem(await useCases().getOperatorHealth.execute(request.params.operatorId)),
  );

  app.get(
    '/v1/operator-health',
    {
      ...read,
      schema: {
        tags: [TAG_HEALTH],
        summary: 'The current health of every operator that is not deleted',
        response: { 200: operatorHealthList, ...authProblemResponses() },
      },
    },
    async () => ({ items: [...(await useCases().listOperatorHealth.execute())] }),
  );

  app.get(
    '/v1/routing-rules',
    {
      ...read,
      schema: {
        tags: [TAG_ROUTING],
        summary: 'The current routing rule set and its version; ETag is the version',
        response: { 200: routingRuleSetView, ...authProblemResponses() },
      },
    },
    async (_request, reply) => withEtag(reply, await useCases().getRoutingRules.execute()),
  );

  app.put(
    '/v1/routing-rules',
    {
      ...write,
      schema: {
        tags: [TAG_ROUTING],
        summary: 'Replace the whole routing rule set (validated; published as ops.routing-rules.changed.v1)',
        body: replaceRoutingRulesBody,
        response: {
          200: routingRulesReplacedView,
          ...authProblemResponses(),
          ...problems({
            400: 'OPS.VALIDATION_FAILED',
            409: 'OPS.VERSION_CONFLICT',
            422: 'OPS.ROUTING_RULES_OVERLAP or OPS.ROUTING_OPERATOR_UNAVAILABLE',
          }),
        },
      },
    },
    async (request) => orProblem(await useCases().replaceRoutingRules.execute(request.body)),
  );
}
