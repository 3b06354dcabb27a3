import { ProblemError } from '@sms/http';
import { operatorManagementErrors, type OpsError } from '../../domain/operator-management-errors.js';

/** Seconds a client should wait before retrying after the secret store was unavailable. */
export const SECRET_STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The problem+json answer of a business failure: type, title and status from the service's error
 * registry (docs/errors.md), the error's own members as extensions (`issues`, `field`,
 * `existingOperatorId`, …). Validation issues are also given as `errors`, the member the platform's
 * request validation uses, so clients read one shape.
 */
export function problemOf(error: OpsError): ProblemError {
  const { code, detail, ...members } = error;
  const extra: Record<string, unknown> = { ...members };
  if (error.code === 'OPS.VALIDATION_FAILED' || error.code === 'OPS.LEGACY_EXPORT_MALFORMED') extra.errors = error.issues;
  return ProblemError.of(operatorManagementErrors, code, {
    detail,
    extra,
    ...(code === 'OPS.SECRET_STORE_UNAVAILABLE' ? { headers: { 'retry-after': String(SECRET_STORE_RETRY_AFTER_SECONDS) } } : {}),
  });
}

/** The value of an ok result, or the problem of its error thrown for the error handler to answer. */
export function orProblem<T>(result: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OpsError }): T {
  if (!result.ok) throw problemOf(result.error);
  return result.value;
}
