import type { OrchestratorErrorCode } from './sms-orchestrator-errors.js';

/**
 * One invalid field of a request. `field` is the path as the client wrote it (`to`,
 * `messages[3].body`, `to[17]`), so the problem+json answer names exactly what to fix.
 */
export interface FieldError {
  readonly field: string;
  readonly code: OrchestratorErrorCode;
  readonly message: string;
}

export const fieldError = (field: string, code: OrchestratorErrorCode, message: string): FieldError => ({ field, code, message });

/** Re-roots a field error under a prefix: `to` under `messages[3]` becomes `messages[3].to`. */
export const nestFieldError = (prefix: string, error: FieldError): FieldError => ({
  ...error,
  field: `${prefix}.${error.field}`,
});
