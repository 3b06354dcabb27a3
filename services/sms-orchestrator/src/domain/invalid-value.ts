import type { OrchestratorErrorCode } from './sms-orchestrator-errors.js';

/** Why a single value was refused; the caller attaches the field name (see {@link FieldError}). */
export interface InvalidValue {
  readonly code: OrchestratorErrorCode;
  readonly message: string;
}

export const invalid = (code: OrchestratorErrorCode, message: string): InvalidValue => ({ code, message });
