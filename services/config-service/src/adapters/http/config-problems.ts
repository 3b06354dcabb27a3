import { ProblemError } from '@sms/http';
import { configErrors } from '../../domain/config-errors.js';
import type { ConfigError } from '../../domain/config-errors.js';

/**
 * A ConfigError as problem+json: `type` from its code, title and status from the registry, the
 * message as `detail` and its details as extension members (`key`, `rule`, `lockedAt`, `field`, …).
 * A field error is also given as `errors: [{ field, message }]`, like the HTTP layer's own.
 */
export function problemOf(error: ConfigError): ProblemError {
  const details = error.details ?? {};
  const field = details['field'];
  return ProblemError.of(configErrors, error.code, {
    detail: error.message,
    extra: typeof field === 'string' ? { ...details, errors: [{ field, message: error.message }] } : details,
  });
}

/** The value of an ok Result, or the problem of its error (thrown, so Fastify answers it). */
export function unwrapOrProblem<T>(result: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ConfigError }): T {
  if (!result.ok) throw problemOf(result.error);
  return result.value;
}
