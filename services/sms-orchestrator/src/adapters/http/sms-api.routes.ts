import { authProblemResponses, principalOf } from '@sms/auth';
import type { AuthHook } from '@sms/auth';
import { ProblemError, problemResponse } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { SpanKind, withSpan } from '@sms/tracing';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GetMessage } from '../../application/get-message.use-case.js';
import type { SubmitBulk } from '../../application/submit-bulk.use-case.js';
import type { SubmitMessage } from '../../application/submit-message.use-case.js';
import type { SubmitRefusal, Submitted } from '../../application/submit-refusal.js';
import type { FieldError } from '../../domain/field-error.js';
import { orchestratorErrors } from '../../domain/sms-orchestrator-errors.js';
import type { Result } from '@sms/kernel';
import type { SubmitMetrics, SubmitOutcome } from '../observability/orchestrator-metrics.js';
import { presentBulk, presentFieldError, presentMessage, presentSend } from './sms-api.presenters.js';
import { parseBulkBody, parseSendBody } from './request-shape.js';
import {
  bulkRequestSchema,
  bulkResponseSchema,
  messageIdParamsSchema,
  messageResponseSchema,
  readHeadersSchema,
  sendRequestSchema,
  sendResponseSchema,
  submitHeadersSchema,
} from './sms-api.schemas.js';

/** The header marking an answer replayed from an earlier request with the same Idempotency-Key. */
export const REPLAY_HEADER = 'idempotent-replayed';

/** What the routes need once the service has started. */
export interface SmsApiRuntime {
  /** SUBMIT_API_ENABLED. */
  readonly submitEnabled: boolean;
  /** `authenticate(verifier, { requireTenantHeader: true })` of @sms/auth. */
  readonly authenticate: AuthHook;
  readonly submitMessage: Pick<SubmitMessage, 'execute'>;
  readonly submitBulk: Pick<SubmitBulk, 'execute'>;
  readonly getMessage: Pick<GetMessage, 'execute'>;
  readonly metrics: SubmitMetrics;
}

/** Filled by `start()`; empty while the routes are only registered (OpenAPI generation) or the service is starting. */
export interface SmsApiRuntimeSource {
  current(): SmsApiRuntime | undefined;
}

const BULK_BODY_LIMIT = 8 * 1024 * 1024;

function runtimeOf(source: SmsApiRuntimeSource): SmsApiRuntime {
  const runtime = source.current();
  if (runtime === undefined) throw new ProblemError({ code: 'HTTP.STARTING', status: 503, title: 'Service starting', detail: 'The service is still starting; retry shortly.', headers: { 'retry-after': '1' } });
  return runtime;
}

function tenantOf(request: FastifyRequest): string {
  const tenantId = principalOf(request).tenantId;
  // authenticate({ requireTenantHeader: true }) let the request through, so the token has a tenant.
  if (tenantId === null) throw new Error('tenant-scoped route reached without a tenant principal');
  return tenantId;
}

function validationProblem(errors: readonly FieldError[]): ProblemError {
  const fields = [...new Set(errors.map((e) => e.field))];
  return ProblemError.of(orchestratorErrors, 'ORCH.VALIDATION_FAILED', {
    detail: `${fields.length === 1 ? 'Invalid field' : `${fields.length} invalid fields`}: ${fields.join(', ')}`,
    extra: { errors: errors.map(presentFieldError) },
  });
}

function refusalProblem(refusal: SubmitRefusal): ProblemError {
  switch (refusal.code) {
    case 'ORCH.VALIDATION_FAILED':
      return validationProblem(refusal.errors);
    case 'ORCH.IDEMPOTENCY_CONFLICT':
      return ProblemError.of(orchestratorErrors, refusal.code, {
        detail: 'This Idempotency-Key was used within the last 48 hours for a different request; use a new key for a new request.',
      });
    case 'ORCH.IDEMPOTENCY_IN_PROGRESS':
      return ProblemError.of(orchestratorErrors, refusal.code, {
        detail: 'A request with this Idempotency-Key is still being processed; retry shortly to get its answer.',
        headers: { 'retry-after': '1' },
      });
    case 'ORCH.RATE_LIMITED': {
      const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
      return ProblemError.of(orchestratorErrors, refusal.code, {
        detail: `The tenant's submit rate limit is exhausted; retry in ${seconds} s.`,
        headers: { 'retry-after': String(seconds) },
        extra: { retry_after_ms: refusal.retryAfterMs },
      });
    }
  }
}

const OUTCOME_OF_REFUSAL: Record<SubmitRefusal['code'], SubmitOutcome> = {
  'ORCH.VALIDATION_FAILED': 'validation_failed',
  'ORCH.IDEMPOTENCY_CONFLICT': 'idempotency_conflict',
  'ORCH.IDEMPOTENCY_IN_PROGRESS': 'idempotency_in_progress',
  'ORCH.RATE_LIMITED': 'rate_limited',
};

function idempotencyKeyOf(request: FastifyRequest): string | null {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return null;
  return Array.isArray(header) ? header.join(',') : header;
}

/**
 * Runs one submit: shape check (every bad field named, nothing stored), the use case in a span,
 * metrics, and the answer: 202 (with `Idempotent-Replayed: true` on a replay) or a problem.
 */
async function submit<TRequest, TOutput>(
  runtime: SmsApiRuntime,
  endpoint: 'send' | 'bulk',
  reply: FastifyReply,
  parsed: { readonly ok: true; readonly value: TRequest } | { readonly ok: false; readonly errors: FieldError[] },
  execute: (request: TRequest) => Promise<Result<Submitted<TOutput>, SubmitRefusal>>,
): Promise<TOutput> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    if (!parsed.ok) {
      runtime.metrics.submitted(endpoint, 'validation_failed', seconds());
      throw validationProblem(parsed.errors);
    }
    const request = parsed.value;
    const result = await withSpan(`orch.submit ${endpoint}`, () => execute(request), { kind: SpanKind.INTERNAL, attributes: { 'orch.endpoint': endpoint } });
    if (!result.ok) {
      runtime.metrics.submitted(endpoint, OUTCOME_OF_REFUSAL[result.error.code], seconds());
      throw refusalProblem(result.error);
    }
    runtime.metrics.submitted(endpoint, result.value.replayed ? 'replayed' : 'accepted', seconds());
    if (result.value.replayed) void reply.header(REPLAY_HEADER, 'true');
    void reply.code(202);
    return result.value.output;
  } catch (error) {
    if (!(error instanceof ProblemError)) runtime.metrics.submitted(endpoint, 'error', seconds());
    throw error;
  }
}

/**
 * `POST /v1/sms/send`, `POST /v1/sms/bulk`, `GET /v1/sms/{id}`: the submit API. Registered without
 * infrastructure (the OpenAPI generator calls this alone); handlers read the started runtime.
 * Every route: the feature flag first (503), then the bearer token and `X-Tenant-Id` (401/403);
 * the tenant comes from the token only.
 */
export function registerSmsApiRoutes(app: HttpApp, source: SmsApiRuntimeSource): void {
  const flagAndAuth = [
    (_request: FastifyRequest) => {
      if (!runtimeOf(source).submitEnabled) {
        return Promise.reject(
          ProblemError.of(orchestratorErrors, 'ORCH.SUBMIT_API_DISABLED', {
            detail: 'The submit API is switched off by the feature flag SUBMIT_API_ENABLED; no request is accepted while it is off.',
          }),
        );
      }
      return Promise.resolve();
    },
    (request: FastifyRequest, reply: FastifyReply) => runtimeOf(source).authenticate(request, reply),
  ];
  const common = {
    401: authProblemResponses({ tenantHeader: true })[401],
    403: authProblemResponses({ tenantHeader: true })[403],
    503: problemResponse('The submit API is disabled by SUBMIT_API_ENABLED (ORCH.SUBMIT_API_DISABLED), or token keys are unavailable'),
  };
  const submitProblems = {
    ...common,
    400: problemResponse('A field is invalid (ORCH.VALIDATION_FAILED, errors[] names each one) or X-Tenant-Id is missing (AUTH.TENANT_HEADER_MISSING)'),
    409: problemResponse('A request with this Idempotency-Key is still in progress (ORCH.IDEMPOTENCY_IN_PROGRESS)'),
    422: problemResponse('The Idempotency-Key was used for a different request (ORCH.IDEMPOTENCY_CONFLICT)'),
    429: problemResponse('The tenant submit rate limit is exhausted (ORCH.RATE_LIMITED); see Retry-After'),
  };

  app.post(
    '/v1/sms/send',
    {
      attachValidation: true,
      onRequest: flagAndAuth,
      schema: {
        summary: 'Send one SMS',
        description:
          'Validates and stores the message as `accepted` and answers 202; the pipeline (sender lease, route, dispatch) runs afterwards. ' +
          'With an `Idempotency-Key`, the same request within 48 h is answered again with the first answer and `Idempotent-Replayed: true`.',
        tags: ['sms'],
        headers: submitHeadersSchema,
        body: sendRequestSchema,
        response: { 202: sendResponseSchema, ...submitProblems },
      },
    },
    async (request, reply) => {
      const runtime = runtimeOf(source);
      const tenantId = tenantOf(request);
      const idempotencyKey = idempotencyKeyOf(request);
      const output = await submit(runtime, 'send', reply, parseSendBody(request.body), (body) =>
        runtime.submitMessage.execute({ tenantId, idempotencyKey, request: body }),
      );
      return presentSend(output);
    },
  );

  app.post(
    '/v1/sms/bulk',
    {
      attachValidation: true,
      bodyLimit: BULK_BODY_LIMIT,
      onRequest: flagAndAuth,
      schema: {
        summary: 'Send up to 1,000 SMS',
        description:
          'Either `messages` (up to 1,000 messages) or one body `to` up to 1,000 recipients. Valid items are accepted (one id each); ' +
          'invalid ones are reported next to them by index. The whole request is refused when it is empty, too large, or has no valid item.',
        tags: ['sms'],
        headers: submitHeadersSchema,
        body: bulkRequestSchema,
        response: { 202: bulkResponseSchema, ...submitProblems },
      },
    },
    async (request, reply) => {
      const runtime = runtimeOf(source);
      const tenantId = tenantOf(request);
      const idempotencyKey = idempotencyKeyOf(request);
      const output = await submit(runtime, 'bulk', reply, parseBulkBody(request.body), (body) =>
        runtime.submitBulk.execute({ tenantId, idempotencyKey, request: body }),
      );
      return presentBulk(output);
    },
  );

  app.get(
    '/v1/sms/:id',
    {
      onRequest: flagAndAuth,
      schema: {
        summary: 'Get one SMS with its status history',
        description: 'The message of the authenticated tenant; a message of another tenant is not found (404).',
        tags: ['sms'],
        headers: readHeadersSchema,
        params: messageIdParamsSchema,
        response: {
          200: messageResponseSchema,
          ...common,
          400: problemResponse('The id is not a UUID (REQUEST.VALIDATION_FAILED) or X-Tenant-Id is missing'),
          404: problemResponse('No message with this id for this tenant (ORCH.MESSAGE_NOT_FOUND)'),
        },
      },
    },
    async (request) => {
      const runtime = runtimeOf(source);
      const result = await runtime.getMessage.execute({ tenantId: tenantOf(request), messageId: request.params.id });
      if (!result.ok) {
        throw ProblemError.of(orchestratorErrors, 'ORCH.MESSAGE_NOT_FOUND', { detail: `No message ${request.params.id} exists for this tenant.` });
      }
      return presentMessage(result.value);
    },
  );
}
