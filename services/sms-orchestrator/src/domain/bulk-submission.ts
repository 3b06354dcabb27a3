import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { fieldError, nestFieldError } from './field-error.js';
import type { FieldError } from './field-error.js';
import { validateContent, validateDestination, validateSubmission } from './submission.js';
import type { SubmissionRules, SubmitContent, SubmitMessageRequest, ValidSubmission } from './submission.js';

export const MAX_BULK_ITEMS = 1000;

/** Up to 1,000 independent messages. */
export interface BulkMessagesRequest {
  readonly messages: readonly SubmitMessageRequest[];
}

/** One body (and sender, reference, validity, callback) to up to 1,000 recipients. */
export interface BulkBroadcastRequest extends SubmitContent {
  readonly to: readonly string[];
}

export type SubmitBulkRequest = BulkMessagesRequest | BulkBroadcastRequest;

export const isBulkMessagesRequest = (request: SubmitBulkRequest): request is BulkMessagesRequest => 'messages' in request;

/** One item of a bulk request: the position the client gave it, and either its submission or its errors. */
export type BulkItemValidation =
  | { readonly index: number; readonly to: string; readonly valid: true; readonly submission: ValidSubmission }
  | { readonly index: number; readonly to: string; readonly valid: false; readonly errors: readonly FieldError[] };

/**
 * Validates a bulk request item by item. The request as a whole is refused (and nothing is
 * stored) when it is empty, has more than 1,000 items, has an invalid shared field (one-body form),
 * or when no item at all is valid; otherwise invalid items are reported next to the valid ones.
 * In the one-body form a recipient listed twice is refused from its second occurrence on
 * (`ORCH.DUPLICATE_RECIPIENT`), since sending the same text twice to one person is almost always
 * a client bug; in the messages form each item stands alone.
 */
export function validateBulk(request: SubmitBulkRequest, rules: SubmissionRules): Result<BulkItemValidation[], FieldError[]> {
  const listField = isBulkMessagesRequest(request) ? 'messages' : 'to';
  const count = isBulkMessagesRequest(request) ? request.messages.length : request.to.length;
  if (count === 0) return err([fieldError(listField, 'ORCH.BULK_EMPTY', `${listField} must list at least one item`)]);
  if (count > MAX_BULK_ITEMS) {
    return err([fieldError(listField, 'ORCH.BULK_TOO_LARGE', `${listField} lists ${count} items, more than the limit of ${MAX_BULK_ITEMS}`)]);
  }
  const items = isBulkMessagesRequest(request) ? validateMessages(request, rules) : validateBroadcast(request, rules);
  if (!items.ok) return items;
  const invalid = items.value.filter((item): item is Extract<BulkItemValidation, { valid: false }> => !item.valid);
  return invalid.length === items.value.length ? err(invalid.flatMap((item) => item.errors)) : items;
}

function validateMessages(request: BulkMessagesRequest, rules: SubmissionRules): Result<BulkItemValidation[], FieldError[]> {
  return ok(
    request.messages.map((message, index): BulkItemValidation => {
      const result = validateSubmission(message, rules);
      return result.ok
        ? { index, to: message.to, valid: true, submission: result.value }
        : { index, to: message.to, valid: false, errors: result.error.map((e) => nestFieldError(`messages[${index}]`, e)) };
    }),
  );
}

function validateBroadcast(request: BulkBroadcastRequest, rules: SubmissionRules): Result<BulkItemValidation[], FieldError[]> {
  const content = validateContent(request, rules);
  if (!content.ok) return content;
  const seen = new Set<string>();
  return ok(
    request.to.map((to, index): BulkItemValidation => {
      const field = `to[${index}]`;
      const destination = validateDestination(to, field);
      if (!destination.ok) return { index, to, valid: false, errors: [destination.error] };
      if (seen.has(destination.value.e164)) {
        return { index, to, valid: false, errors: [fieldError(field, 'ORCH.DUPLICATE_RECIPIENT', `${field} repeats an earlier recipient`)] };
      }
      seen.add(destination.value.e164);
      return { index, to, valid: true, submission: { destination: destination.value, ...content.value } };
    }),
  );
}
