import { ProblemError } from '@sms/http';
import type { Result } from '@sms/kernel';
import { numberingErrors } from '../../index.js';
import type { NumberingError } from '../../index.js';
import { isInfrastructureFault } from '../infrastructure-fault.js';

/** Seconds a client should wait after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** The problem+json of a business refusal: type, title and status from the registry (docs/errors.md), `details` as extensions. */
export const problemOf = (error: NumberingError): ProblemError =>
  ProblemError.of(numberingErrors, error.code, { detail: error.message, ...(error.details === undefined ? {} : { extra: { ...error.details } }) });

/** The value of an ok result; the problem of an error, thrown for the error handler to answer. */
export function orProblem<T>(result: Result<T, NumberingError>): T {
  if (!result.ok) throw problemOf(result.error);
  return result.value;
}

/**
 * Runs a handler body, turning a thrown infrastructure fault (database or cache down) into 503
 * `NUMBERING.UNAVAILABLE` with Retry-After; other throws stay 500 (bugs).
 */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProblemError || !isInfrastructureFault(error)) throw error;
    throw new ProblemError(
      {
        code: 'NUMBERING.UNAVAILABLE',
        status: 503,
        title: 'Dependency unavailable',
        detail: 'A dependency of numbering-service (database or cache) is unavailable; nothing was changed. Retry later.',
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      },
      { cause: error },
    );
  }
}
