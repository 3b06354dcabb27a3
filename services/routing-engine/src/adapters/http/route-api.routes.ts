import { authenticate, authProblemResponses, principalOf } from '@sms/auth';
import type { JwtVerifier } from '@sms/auth';
import { ProblemError, problemResponse } from '@sms/http';
import type { HttpApp } from '@sms/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { routingErrors } from '../../domain/routing-errors.js';
import type { ResolveRoute, ResolveRouteError } from '../../application/resolve-route.use-case.js';
import type { DecisionOutcome, RoutingMetrics } from '../observability/routing-metrics.js';
import { resolvedRouteView, resolveRouteBody } from './route-api.schemas.js';

/** What the route needs once the service has started (the OpenAPI generator registers it without). */
export interface RouteApiRuntime {
  readonly resolveRoute: ResolveRoute;
  readonly verifier: JwtVerifier;
  readonly metrics: RoutingMetrics;
  /** Monotonic seconds, for the decision latency histogram. */
  readonly elapsedSeconds: (startedAt: bigint) => number;
}

/** Roles that may ask for routes besides service identities (operators of the platform, for diagnosis). */
export const ROUTE_READER_ROLES = ['platform-admin', 'ops-admin'] as const;

/** Seconds a caller should wait before asking again after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * `POST /v1/routes/resolve` (docs/api.md). Handlers read the runtime from `runtime()`, which throws
 * until the service has started: routes exist without infrastructure for the OpenAPI document.
 */
export function registerRouteApi(app: HttpApp, runtime: () => RouteApiRuntime): void {
  const identify = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => authenticate(runtime().verifier)(request, reply);
  app.post(
    '/v1/routes/resolve',
    {
      onRequest: identify,
      preHandler: requireServiceCaller,
      schema: {
        operationId: 'resolveRoute',
        tags: ['routes'],
        summary: 'Choose the operator and SMPP connection for a destination',
        description:
          'Answers from memory: the rules whose prefix matches (longest first), filtered by tenant, sender type and time window, by priority and weight, skipping operators that are down, suspended or deleted, then the failover order. Callers are platform services (a token with the `svc` claim).',
        body: resolveRouteBody,
        response: {
          200: resolvedRouteView,
          ...authProblemResponses(),
          422: problemResponse('No rule matches the destination, tenant, sender type and time (ROUTING.NO_ROUTE): permanent'),
          503: problemResponse(
            'No operator named by the matching rules can take the message now (ROUTING.NO_OPERATOR_AVAILABLE), or no rule set is loaded yet (ROUTING.TABLE_NOT_LOADED): retry',
          ),
        },
      },
    },
    (request) => {
      const { resolveRoute, metrics, elapsedSeconds } = runtime();
      const startedAt = process.hrtime.bigint();
      const result = resolveRoute.execute({
        destination: request.body.destination,
        tenantId: request.body.tenant_id,
        senderType: request.body.sender.kind,
        ...(request.body.at === undefined ? {} : { at: new Date(request.body.at) }),
      });
      const seconds = elapsedSeconds(startedAt);
      if (!result.ok) {
        const outcome = outcomeOf(result.error);
        metrics.decisions.inc({ outcome, via: 'none' });
        metrics.decisionSeconds.observe({ outcome }, seconds);
        if (result.error.code === 'ROUTING.NO_OPERATOR_AVAILABLE') {
          for (const skipped of result.error.skipped) metrics.skippedOperators.inc({ reason: skipped.reason });
        }
        throw problemOf(result.error);
      }
      const route = result.value;
      metrics.decisions.inc({ outcome: 'route', via: route.via });
      metrics.decisionSeconds.observe({ outcome: 'route' }, seconds);
      for (const skipped of route.skipped) metrics.skippedOperators.inc({ reason: skipped.reason });
      return {
        operator_id: route.operatorId,
        connection_id: route.connectionId,
        rule_id: route.ruleId,
        via: route.via,
        failover: route.failover.map((t) => ({ operator_id: t.operatorId, connection_id: t.connectionId, rule_id: t.ruleId, via: t.via })),
        rule_set_version: route.ruleSetVersion,
      };
    },
  );
}

function requireServiceCaller(request: FastifyRequest): Promise<void> {
  const principal = principalOf(request);
  if (principal.serviceName !== null) return Promise.resolve();
  if (principal.roles.some((role) => (ROUTE_READER_ROLES as readonly string[]).includes(role))) return Promise.resolve();
  return Promise.reject(
    ProblemError.of(routingErrors, 'ROUTING.FORBIDDEN', {
      detail: `Routes are answered to platform services (a token with the svc claim) or to ${ROUTE_READER_ROLES.join(', ')}.`,
    }),
  );
}

function outcomeOf(error: ResolveRouteError): DecisionOutcome {
  switch (error.code) {
    case 'ROUTING.NO_ROUTE':
      return 'no_route';
    case 'ROUTING.NO_OPERATOR_AVAILABLE':
      return 'no_operator_available';
    case 'ROUTING.TABLE_NOT_LOADED':
      return 'table_not_loaded';
  }
}

function problemOf(error: ResolveRouteError): ProblemError {
  switch (error.code) {
    case 'ROUTING.TABLE_NOT_LOADED':
      return ProblemError.of(routingErrors, error.code, {
        detail: 'No routing rule set has been received yet.',
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      });
    case 'ROUTING.NO_ROUTE':
      return ProblemError.of(routingErrors, error.code, {
        detail: 'No routing rule matches this destination, tenant, sender type and time.',
        extra: { rule_set_version: error.ruleSetVersion },
      });
    case 'ROUTING.NO_OPERATOR_AVAILABLE':
      return ProblemError.of(routingErrors, error.code, {
        detail: `Every operator named by the matching rules is unavailable (${error.skipped.map((s) => s.reason).join(', ')}).`,
        extra: {
          rule_set_version: error.ruleSetVersion,
          skipped: error.skipped.map((s) => ({ operator_id: s.operatorId, reason: s.reason })),
        },
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      });
  }
}
