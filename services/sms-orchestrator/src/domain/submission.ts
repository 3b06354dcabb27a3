import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { CallbackUrl } from './callback-url.js';
import type { CallbackUrlPolicy } from './callback-url.js';
import { ClientReference } from './client-reference.js';
import { Destination } from './destination.js';
import { fieldError } from './field-error.js';
import type { FieldError } from './field-error.js';
import type { InvalidValue } from './invalid-value.js';
import { MessageBody } from './message-body.js';
import { checkPartLimit, segment } from './segmentation.js';
import type { Segmentation } from './segmentation.js';
import { Sender } from './sender.js';
import { ValidityPeriod } from './validity-period.js';

/**
 * One message as the client asked for it, after the edge's shape check (strings are strings,
 * the period is a number) and before any business validation. Field names are the API's, in
 * camelCase: `client_reference` arrives as `clientReference`.
 */
export interface SubmitMessageRequest {
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly clientReference?: string;
  /** Seconds. */
  readonly validityPeriod?: number;
  readonly callbackUrl?: string;
}

/** A request that passed every check: the value objects a message is made of. */
export interface ValidSubmission {
  readonly destination: Destination;
  readonly sender: Sender;
  readonly body: MessageBody;
  readonly segmentation: Segmentation;
  readonly clientReference: ClientReference | null;
  readonly validityPeriod: ValidityPeriod;
  readonly callbackUrl: CallbackUrl | null;
}

export interface SubmissionRules {
  /** The tenant's maximum parts per message (1 to 255). */
  readonly maxPartsPerMessage: number;
  readonly callbackUrlPolicy: CallbackUrlPolicy;
}

/** The API's name of each field, used in {@link FieldError.field}. */
export const API_FIELD_NAMES = {
  to: 'to',
  from: 'from',
  body: 'body',
  clientReference: 'client_reference',
  validityPeriod: 'validity_period',
  callbackUrl: 'callback_url',
} as const;

/** The fields a one-body bulk request shares between its recipients: everything but `to`. */
export type SubmitContent = Omit<SubmitMessageRequest, 'to'>;

export type ValidContent = Omit<ValidSubmission, 'destination'>;

const toFieldError = (field: string, problem: InvalidValue): FieldError => fieldError(field, problem.code, `${field} ${problem.message}`);

class FieldErrors {
  readonly list: FieldError[] = [];

  take<T>(field: string, result: Result<T, InvalidValue>): T | null {
    if (result.ok) return result.value;
    this.list.push(toFieldError(field, result.error));
    return null;
  }

  takeOptional<T>(field: string, raw: string | undefined, parse: (value: string) => Result<T, InvalidValue>): T | null {
    return raw === undefined ? null : this.take(field, parse(raw));
  }
}

function collectContent(request: SubmitContent, rules: SubmissionRules, errors: FieldErrors): ValidContent | null {
  const errorsBefore = errors.list.length;
  const sender = errors.take(API_FIELD_NAMES.from, Sender.parse(request.from));
  const body = errors.take(API_FIELD_NAMES.body, MessageBody.parse(request.body));
  const segmentation = body === null ? null : errors.take(API_FIELD_NAMES.body, checkPartLimit(segment(body.text), rules.maxPartsPerMessage));
  const clientReference = errors.takeOptional(API_FIELD_NAMES.clientReference, request.clientReference, (raw) => ClientReference.parse(raw));
  const validityPeriod = errors.take(API_FIELD_NAMES.validityPeriod, ValidityPeriod.parse(request.validityPeriod));
  const callbackUrl = errors.takeOptional(API_FIELD_NAMES.callbackUrl, request.callbackUrl, (raw) => CallbackUrl.parse(raw, rules.callbackUrlPolicy));
  if (sender === null || body === null || segmentation === null || validityPeriod === null || errors.list.length > errorsBefore) return null;
  return { sender, body, segmentation, clientReference, validityPeriod, callbackUrl };
}

/**
 * Validates every field except `to`, reporting every invalid one under its API name. The part
 * limit is checked only once the body itself is valid.
 */
export function validateContent(request: SubmitContent, rules: SubmissionRules): Result<ValidContent, FieldError[]> {
  const errors = new FieldErrors();
  const content = collectContent(request, rules, errors);
  return content === null ? err(errors.list) : ok(content);
}

/** Validates a destination on its own, reporting an error under `field` (`to`, `to[17]`). */
export function validateDestination(raw: string, field: string): Result<Destination, FieldError> {
  const parsed = Destination.parse(raw);
  return parsed.ok ? parsed : err(toFieldError(field, parsed.error));
}

/** Validates every field of one message and reports every invalid one (not only the first). */
export function validateSubmission(request: SubmitMessageRequest, rules: SubmissionRules): Result<ValidSubmission, FieldError[]> {
  const errors = new FieldErrors();
  const destination = errors.take(API_FIELD_NAMES.to, Destination.parse(request.to));
  const content = collectContent(request, rules, errors);
  if (destination === null || content === null) return err(errors.list);
  return ok({ destination, ...content });
}
