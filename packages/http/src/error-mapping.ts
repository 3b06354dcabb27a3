import { STATUS_CODES } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { httpErrors } from './http-errors.js';
import type { HttpErrorCode } from './http-errors.js';
import { ProblemError } from './problem.js';
import type { FieldError, ProblemInit } from './problem.js';

interface ValidationEntry {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

interface ErrorLike {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
  readonly validation?: unknown;
  readonly validationContext?: unknown;
}

const CONTEXT_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

export const INTERNAL_ERROR_DETAIL =
  'An unexpected error occurred. It has been logged; quote the request id when reporting it.';

function problemFor(code: HttpErrorCode, detail: string, more: Partial<ProblemInit> = {}): ProblemInit {
  const definition = httpErrors[code];
  return { code, title: definition.title, status: definition.status, detail, ...more };
}

/** `/messages/0/to` in the body → `body.messages[0].to`. */
export function fieldPath(context: string, instancePath: string, missingProperty?: unknown): string {
  const segments = instancePath.split('/').filter((segment) => segment !== '');
  if (typeof missingProperty === 'string') segments.push(missingProperty);
  return segments.reduce(
    (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment.replace(/~1/g, '/').replace(/~0/g, '~')}`),
    CONTEXT_NAMES[context] ?? context,
  );
}

function validationProblem(error: ErrorLike): ProblemInit {
  const context = typeof error.validationContext === 'string' ? error.validationContext : 'body';
  const entries = Array.isArray(error.validation) ? (error.validation as ValidationEntry[]) : [];
  const errors: FieldError[] = entries.map((entry) => ({
    field: fieldPath(context, entry.instancePath ?? '', entry.params?.missingProperty),
    message: entry.message ?? 'is invalid',
  }));
  const fields = [...new Set(errors.map((e) => e.field))];
  const detail = `${fields.length === 1 ? 'Invalid field' : `${fields.length} invalid fields`}: ${fields.join(', ')}`;
  return problemFor('REQUEST.VALIDATION_FAILED', detail, { extra: { errors } });
}

/**
 * Maps anything a route, a hook or Fastify itself threw to the problem sent back. Unknown faults
 * become a generic 500 whose detail says nothing about the cause (the log has it).
 */
export function problemFromError(thrown: unknown, request: FastifyRequest): ProblemInit {
  if (thrown instanceof ProblemError) return thrown;
  const error: ErrorLike = typeof thrown === 'object' && thrown !== null ? thrown : {};
  if (Array.isArray(error.validation)) return validationProblem(error);

  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problemFor('REQUEST.MALFORMED_JSON', typeof error.message === 'string' ? error.message : 'Malformed JSON body.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const contentType = String(request.headers['content-type'] ?? '').slice(0, 100);
      return problemFor(
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        `Content-Type ${JSON.stringify(contentType)} is not accepted here; send application/json.`,
      );
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemFor(
        'REQUEST.BODY_TOO_LARGE',
        `The request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes.`,
      );
    default:
      break;
  }

  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    const detail = typeof error.message === 'string' && error.message !== '' ? error.message : (STATUS_CODES[status] ?? 'Bad request');
    return problemFor('REQUEST.BAD_REQUEST', detail, {
      status,
      title: STATUS_CODES[status] ?? httpErrors['REQUEST.BAD_REQUEST'].title,
    });
  }
  return problemFor('HTTP.INTERNAL_ERROR', INTERNAL_ERROR_DETAIL);
}

/** The problem for a body that the JSON parser refused, naming what is wrong with it. */
export function malformedJsonProblem(body: string): ProblemError {
  const code = 'REQUEST.MALFORMED_JSON';
  if (body.trim() === '') {
    return ProblemError.of(httpErrors, code, { detail: 'The request body is empty but Content-Type is application/json.' });
  }
  try {
    JSON.parse(body);
    return ProblemError.of(httpErrors, code, {
      detail: 'The request body contains a forbidden "__proto__" or "constructor.prototype" key.',
    });
  } catch (error) {
    // V8 quotes part of the body in the message; the reason and position are enough.
    const reason = error instanceof Error ? error.message.replace(/, ".*" is not valid JSON$/s, '') : 'syntax error';
    return ProblemError.of(httpErrors, code, { detail: `The request body is not valid JSON: ${reason}.` });
  }
}
