import { STATUS_CODES } from 'node:http';
import { problemTypeFor } from '@sms/kernel';
import type { ErrorRegistry } from '@sms/kernel';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One field named by a validation problem: `body.to`, `query.limit`, `body.messages[2].text`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** What describes one problem before it is sent; `type` is derived from `code`. */
export interface ProblemInit {
  /** Stable error code from an error registry (`SMS.SENDER_NOT_LEASED`). */
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  /** Extension members added to the body (`errors`, `retry_after`, …); they never replace the standard ones. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Response headers to send with it (`Allow`, `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An RFC 9457 problem details body as this platform sends it. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code: string;
  readonly request_id?: string;
  readonly [extension: string]: unknown;
}

/**
 * Throw from a route (or a use-case adapter) to answer with a problem+json body. Expected business
 * failures are Results in the use case; the HTTP adapter maps them to a ProblemError.
 */
export class ProblemError extends Error implements ProblemInit {
  override readonly name = 'ProblemError';
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    super(init.detail ?? init.title, options);
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.extra !== undefined) this.extra = init.extra;
    if (init.headers !== undefined) this.headers = init.headers;
  }

  /** A ProblemError for `code` of `registry`, taking its title and status from the registry. */
  static of<Code extends string>(
    registry: ErrorRegistry<Code>,
    code: Code,
    more: Omit<ProblemInit, 'code' | 'status' | 'title'> & { status?: number } = {},
  ): ProblemError {
    const definition = registry[code];
    return new ProblemError({ ...more, code, title: definition.title, status: more.status ?? definition.status });
  }
}

/** The body sent for a problem: standard members after extensions, so an extension cannot replace them. */
export function problemBody(problem: ProblemInit, context: { instance?: string; requestId?: string } = {}): ProblemDetails {
  return {
    ...problem.extra,
    type: problemTypeFor(problem.code),
    title: problem.title || STATUS_CODES[problem.status] || 'Error',
    status: problem.status,
    ...(problem.detail !== undefined ? { detail: problem.detail } : {}),
    ...(context.instance !== undefined ? { instance: context.instance } : {}),
    code: problem.code,
    ...(context.requestId !== undefined ? { request_id: context.requestId } : {}),
  };
}

/**
 * Answers with `application/problem+json`. `instance` is the request path (without the query
 * string, which may hold personal data) and `request_id` the id echoed in `X-Request-Id`.
 */
export function sendProblem(reply: FastifyReply, problem: ProblemInit): FastifyReply {
  const path = reply.request.url.split('?')[0];
  const body = problemBody(problem, { requestId: reply.request.id, ...(path !== undefined ? { instance: path } : {}) });
  if (problem.headers) void reply.headers(problem.headers);
  // Serialized here so a route's response schema for this status cannot reject or reshape the problem.
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Zod schema of a problem body, for documenting error responses in OpenAPI. */
export const problemDetailsSchema = z
  .object({
    type: z.string().describe('Stable URI identifying the problem type'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().describe('Stable error code, e.g. REQUEST.VALIDATION_FAILED'),
    request_id: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .loose();

/** A response entry for a route schema: `response: { 404: problemResponse('No such message') }`. */
export function problemResponse(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemDetailsSchema } } };
}
