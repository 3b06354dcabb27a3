import { defineErrors } from '@sms/kernel';

/**
 * The HTTP layer's own error codes. Services define theirs the same way and throw `ProblemError`
 * with them; these cover what happens before or around a route handler.
 */
export const httpErrors = defineErrors({
  'REQUEST.VALIDATION_FAILED': {
    title: 'Request validation failed',
    status: 400,
    cause: 'A path parameter, query parameter, header or body field does not match the operation schema; `errors` names each field.',
  },
  'REQUEST.MALFORMED_JSON': {
    title: 'Malformed JSON body',
    status: 400,
    cause: 'The body is declared as application/json but is empty, is not valid JSON, or contains a forbidden __proto__ key.',
  },
  'REQUEST.BAD_REQUEST': {
    title: 'Bad request',
    status: 400,
    cause: 'The request was refused by the HTTP layer for another reason (e.g. a Content-Length that does not match the body); the answer carries the actual 4xx status.',
  },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': {
    title: 'Unsupported media type',
    status: 415,
    cause: 'The request body has a Content-Type the operation does not accept (send application/json).',
  },
  'REQUEST.BODY_TOO_LARGE': {
    title: 'Request body too large',
    status: 413,
    cause: 'The request body is larger than the limit of the service or route.',
  },
  'REQUEST.IDEMPOTENCY_CONFLICT': {
    title: 'Idempotency key reused with another request',
    status: 422,
    cause: 'The Idempotency-Key was already used by this caller within 48 h with a different request (method, path, body or If-Match). A new request needs a new key.',
  },
  'REQUEST.IDEMPOTENCY_IN_PROGRESS': {
    title: 'Request with this idempotency key in progress',
    status: 409,
    cause: 'A request with the same Idempotency-Key and the same content is still being processed; retry after Retry-After to get its answer.',
  },
  'HTTP.ROUTE_NOT_FOUND': {
    title: 'Not found',
    status: 404,
    cause: 'No operation exists at this path.',
  },
  'HTTP.METHOD_NOT_ALLOWED': {
    title: 'Method not allowed',
    status: 405,
    cause: 'The path exists but not with this HTTP method; the Allow header lists the methods it has.',
  },
  'HTTP.SHUTTING_DOWN': {
    title: 'Service shutting down',
    status: 503,
    cause: 'The instance is stopping and takes no new requests; retry, another instance will answer.',
  },
  'HTTP.INTERNAL_ERROR': {
    title: 'Internal server error',
    status: 500,
    cause: 'An unexpected fault; the details are in the service log under the request id, never in the answer.',
  },
});

export type HttpErrorCode = keyof typeof httpErrors;
