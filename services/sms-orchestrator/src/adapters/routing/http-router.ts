import { z } from 'zod';
import { injectTraceContext } from '@sms/tracing';
import type { RouteResult, Router } from '../../application/ports/router.port.js';
import type { ServiceTokenSource } from '../service-token.js';

/** The routing engine's resolve endpoint (the contract: test/contract/routing-engine.pact.test.ts and pacts/). */
export const ROUTE_RESOLVE_PATH = '/v1/routes/resolve';

/** The request body the orchestrator sends. */
export interface RouteResolveRequest {
  readonly tenant_id: string;
  readonly message_id: string;
  readonly destination: string;
  readonly sender: { readonly kind: 'msisdn' | 'short_code'; readonly value: string };
  readonly segments: number;
}

const routeAnswer = z.object({ operator_id: z.string().min(1), connection_id: z.string().min(1) });
const problemAnswer = z.object({ code: z.string().optional(), detail: z.string().optional(), title: z.string().optional() }).loose();

/** The routing engine's error code for "no operator serves this destination". */
export const NO_ROUTE_CODE = 'ROUTING.NO_ROUTE';

export interface HttpRouterOptions {
  /** Base URL of routing-engine, e.g. `http://routing-engine:8085`. */
  readonly baseUrl: string;
  readonly tokens: ServiceTokenSource;
  readonly timeoutMs: number;
  /** The HTTP client; `fetch` of Node by default (tests may pass another). */
  readonly fetch?: typeof fetch;
}

/**
 * {@link Router} over the routing engine's HTTP API: `POST /v1/routes/resolve` with the
 * orchestrator's service token and the W3C trace context. `200 {operator_id, connection_id}` is a
 * route; `422` problem+json with code `ROUTING.NO_ROUTE` is `no-route` (permanent); anything else —
 * another status, a malformed answer, a timeout, a refused connection — is `unavailable`, so the
 * pipeline retries.
 */
export class HttpRouter implements Router {
  private readonly url: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpRouterOptions) {
    this.url = new URL(ROUTE_RESOLVE_PATH, options.baseUrl).toString();
    this.fetch = options.fetch ?? fetch;
  }

  async route(query: Parameters<Router['route']>[0]): Promise<RouteResult> {
    const body: RouteResolveRequest = {
      tenant_id: query.tenantId,
      message_id: query.messageId,
      destination: query.destination,
      sender: { kind: query.sender.kind, value: query.sender.value },
      segments: query.segments,
    };
    let response: Response;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, application/problem+json',
          authorization: `Bearer ${await this.options.tokens.token()}`,
          ...injectTraceContext({}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { outcome: 'unavailable', reason: timedOut ? `timed out after ${this.options.timeoutMs} ms` : `request failed: ${describe(error)}` };
    }
    const payload = await response.json().catch(() => undefined);
    if (response.status === 200) {
      const route = routeAnswer.safeParse(payload);
      if (route.success) return { outcome: 'route', route: { operatorId: route.data.operator_id, connectionId: route.data.connection_id } };
      return { outcome: 'unavailable', reason: 'routing engine answered 200 without operator_id and connection_id' };
    }
    const problem = problemAnswer.safeParse(payload);
    const code = problem.success ? problem.data.code : undefined;
    if (response.status === 422 && code === NO_ROUTE_CODE) {
      return { outcome: 'no-route', reason: (problem.success ? problem.data.detail : undefined) ?? 'no operator serves the destination' };
    }
    return { outcome: 'unavailable', reason: `routing engine answered ${response.status}${code ? ` ${code}` : ''}` };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
