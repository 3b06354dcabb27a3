export { createLogger, redactLine, withCorrelationId } from './create-logger.js';
export type { CreateLoggerOptions, Logger, LogLevel } from './create-logger.js';
export { maskMsisdn } from './msisdn-mask.js';
export {
  REDACTED,
  SENSITIVE_KEYS,
  SENSITIVE_KEY_SUFFIXES,
  isSensitiveKey,
  looksLikeSecretKey,
  redactDeep,
} from './redaction.js';
