import { defineErrors } from '@sms/kernel';

/**
 * Every stable error code of the orchestrator. Three kinds live here:
 * - request errors the HTTP edge answers with (problem+json `type` from the code);
 * - field codes carried inside `ORCH.VALIDATION_FAILED` (`errors[].code`), one per kind of bad field;
 * - reason codes stored on a message that ended `rejected`, `expired` or dead-lettered by the
 *   pipeline; their `status` is what the edge would answer if the same check failed synchronously.
 * docs/errors.md lists each one (a unit test checks that).
 */
export const orchestratorErrors = defineErrors({
  'ORCH.VALIDATION_FAILED': {
    title: 'Validation failed',
    status: 400,
    cause: 'One or more fields of the request are invalid; `errors` names each field with its own code.',
  },
  'ORCH.INVALID_DESTINATION': {
    title: 'Invalid destination',
    status: 400,
    cause:
      '`to` is not a valid E.164 number (a leading +, digits only, and a number libphonenumber metadata recognises); also the reason a message ends `rejected` when its stored destination is no longer valid.',
  },
  'ORCH.INVALID_SENDER': {
    title: 'Invalid sender',
    status: 400,
    cause: '`from` is neither a valid E.164 MSISDN nor a short code of 3 to 6 digits without a leading zero.',
  },
  'ORCH.INVALID_BODY': {
    title: 'Invalid message body',
    status: 400,
    cause: '`body` is empty, contains a forbidden control character or a lone surrogate, or is longer than 255 parts could carry.',
  },
  'ORCH.TOO_MANY_PARTS': {
    title: 'Too many message parts',
    status: 400,
    cause: '`body` needs more concatenated parts than the tenant\'s maximum parts per message allows.',
  },
  'ORCH.INVALID_CLIENT_REFERENCE': {
    title: 'Invalid client reference',
    status: 400,
    cause: '`client_reference` is empty, longer than 64 characters, or contains a control character.',
  },
  'ORCH.INVALID_VALIDITY_PERIOD': {
    title: 'Invalid validity period',
    status: 400,
    cause: '`validity_period` is not a whole number of seconds between 60 (1 minute) and 259200 (72 hours).',
  },
  'ORCH.INVALID_CALLBACK_URL': {
    title: 'Invalid callback URL',
    status: 400,
    cause: '`callback_url` is not an absolute https URL without credentials (plain http is accepted only for loopback hosts outside production).',
  },
  'ORCH.INVALID_IDEMPOTENCY_KEY': {
    title: 'Invalid idempotency key',
    status: 400,
    cause: 'The `Idempotency-Key` header is empty, longer than 255 characters, or contains characters other than visible ASCII.',
  },
  'ORCH.BULK_EMPTY': {
    title: 'Empty bulk request',
    status: 400,
    cause: 'A bulk request carries no messages and no recipients.',
  },
  'ORCH.BULK_TOO_LARGE': {
    title: 'Bulk request too large',
    status: 400,
    cause: 'A bulk request carries more than 1,000 messages or recipients.',
  },
  'ORCH.DUPLICATE_RECIPIENT': {
    title: 'Duplicate recipient',
    status: 400,
    cause: 'A one-body bulk request lists the same recipient more than once; only the first occurrence is accepted.',
  },
  'ORCH.IDEMPOTENCY_CONFLICT': {
    title: 'Idempotency key reused with a different request',
    status: 422,
    cause: 'The `Idempotency-Key` was already used within 48 hours for a request with a different body or on another endpoint.',
  },
  'ORCH.IDEMPOTENCY_IN_PROGRESS': {
    title: 'Request with this idempotency key in progress',
    status: 409,
    cause: 'A request with the same `Idempotency-Key` is still being processed; retry shortly to get its response.',
  },
  'ORCH.RATE_LIMITED': {
    title: 'Submit rate limit exceeded',
    status: 429,
    cause: 'The tenant submitted more messages than its submit rate limit allows; `Retry-After` says when to try again.',
  },
  'ORCH.MESSAGE_NOT_FOUND': {
    title: 'Message not found',
    status: 404,
    cause: 'No message with this id exists for the authenticated tenant (another tenant\'s messages are never visible).',
  },
  'ORCH.SUBMIT_API_DISABLED': {
    title: 'Submit API disabled',
    status: 503,
    cause: 'The feature flag `SUBMIT_API_ENABLED` is off, so the submit endpoints refuse requests.',
  },
  'ORCH.SENDER_NOT_LEASED': {
    title: 'Sender not leased to the tenant',
    status: 403,
    cause: 'The numbering service reports that `from` is not leased to the tenant (or the lease has ended); the message ends `rejected`.',
  },
  'ORCH.NO_ROUTE': {
    title: 'No route to destination',
    status: 422,
    cause: 'The routing engine has no operator route for the destination; the message ends `rejected`.',
  },
  'ORCH.VALIDITY_ELAPSED': {
    title: 'Validity period elapsed before dispatch',
    status: 410,
    cause: 'The message\'s validity period ran out while the pipeline was still retrying; the message ends `expired`.',
  },
  'ORCH.RETRIES_EXHAUSTED': {
    title: 'Pipeline retries exhausted',
    status: 503,
    cause: 'A dependency (numbering service or routing engine) stayed unavailable through every retry; the message is dead-lettered.',
  },
  'ORCH.INVALID_TRANSITION': {
    title: 'Invalid status transition',
    status: 409,
    cause: 'A delivery status cannot apply to the message in its current status (for example `delivered` for a message never dispatched).',
  },
});

export type OrchestratorErrorCode = keyof typeof orchestratorErrors;
