import type { z } from 'zod';
import type { SubmitBulkRequest } from '../../domain/bulk-submission.js';
import { fieldError } from '../../domain/field-error.js';
import type { FieldError } from '../../domain/field-error.js';
import type { OrchestratorErrorCode } from '../../domain/sms-orchestrator-errors.js';
import type { SubmitMessageRequest } from '../../domain/submission.js';
import { bulkRequestSchemas, sendRequestSchema } from './sms-api.schemas.js';
import type { SendRequestBody } from './sms-api.schemas.js';

/** The name used for a body that is not a JSON object at all. */
export const WHOLE_BODY_FIELD = '(request body)';

const FIELD_CODES: Readonly<Record<string, OrchestratorErrorCode>> = {
  to: 'ORCH.INVALID_DESTINATION',
  from: 'ORCH.INVALID_SENDER',
  body: 'ORCH.INVALID_BODY',
  client_reference: 'ORCH.INVALID_CLIENT_REFERENCE',
  validity_period: 'ORCH.INVALID_VALIDITY_PERIOD',
  callback_url: 'ORCH.INVALID_CALLBACK_URL',
};

/** `['messages', 3, 'to']` → `messages[3].to`, as the domain names fields. */
export function apiFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? WHOLE_BODY_FIELD : out;
}

function codeFor(path: readonly PropertyKey[]): OrchestratorErrorCode {
  const name = [...path].reverse().find((segment): segment is string => typeof segment === 'string');
  return (name !== undefined ? FIELD_CODES[name] : undefined) ?? 'ORCH.VALIDATION_FAILED';
}

/** Zod issues of a request body as the API's field errors, one per bad field. */
export function shapeErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = apiFieldPath([...issue.path, key]);
        errors.push(fieldError(field, 'ORCH.VALIDATION_FAILED', `${field} is not a field of this request`));
      }
      continue;
    }
    const field = apiFieldPath(issue.path);
    const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
    const message = missing ? `${field} is required` : `${field} has the wrong type or shape: ${issue.message}`;
    errors.push(fieldError(field, codeFor(issue.path), message));
  }
  return errors;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

function sendToDomain(body: SendRequestBody): SubmitMessageRequest {
  return {
    to: body.to,
    from: body.from,
    body: body.body,
    ...(body.client_reference !== undefined ? { clientReference: body.client_reference } : {}),
    ...(body.validity_period !== undefined ? { validityPeriod: body.validity_period } : {}),
    ...(body.callback_url !== undefined ? { callbackUrl: body.callback_url } : {}),
  };
}

/** The body of `POST /v1/sms/send` as the use case's request, or every shape error. */
export function parseSendBody(raw: unknown): Parsed<SubmitMessageRequest> {
  const parsed = sendRequestSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: sendToDomain(parsed.data) } : { ok: false, errors: shapeErrors(parsed.error.issues) };
}

/** The body of `POST /v1/sms/bulk` (either form, told apart by `messages`), or every shape error. */
export function parseBulkBody(raw: unknown): Parsed<SubmitBulkRequest> {
  const isMessagesForm = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'messages' in raw;
  if (isMessagesForm) {
    const parsed = bulkRequestSchemas.messages.safeParse(raw);
    return parsed.success
      ? { ok: true, value: { messages: parsed.data.messages.map(sendToDomain) } }
      : { ok: false, errors: shapeErrors(parsed.error.issues) };
  }
  const parsed = bulkRequestSchemas.broadcast.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: shapeErrors(parsed.error.issues) };
  const { to, ...content } = parsed.data;
  const { to: _single, ...shared } = sendToDomain({ ...content, to: '' });
  return { ok: true, value: { ...shared, to } };
}
