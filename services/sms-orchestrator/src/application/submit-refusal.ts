import type { FieldError } from '../domain/field-error.js';

/**
 * Why a submit was refused. The edge maps `code` to the status of the error registry and adds
 * `errors` (VALIDATION_FAILED) or a `Retry-After` header (RATE_LIMITED).
 */
export type SubmitRefusal =
  | { readonly code: 'ORCH.VALIDATION_FAILED'; readonly errors: readonly FieldError[] }
  | { readonly code: 'ORCH.IDEMPOTENCY_CONFLICT' }
  | { readonly code: 'ORCH.IDEMPOTENCY_IN_PROGRESS' }
  | { readonly code: 'ORCH.RATE_LIMITED'; readonly retryAfterMs: number };

/** A successful submit; `replayed` is true when the response is the stored one of an earlier request with the same key. */
export interface Submitted<T> {
  readonly output: T;
  readonly replayed: boolean;
}
