import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { maskMsisdn } from './msisdn-mask.js';
import { redactDeep } from './redaction.js';

export type Logger = PinoLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface CreateLoggerOptions {
  /** Written on every line as `service`. */
  readonly service: string;
  readonly level?: LogLevel;
  /** Where JSON lines go; stdout when omitted. Anything with `write(line: string)` works. */
  readonly destination?: DestinationStream;
  /** Extra fields for every line (e.g. `{ version }`). */
  readonly base?: Readonly<Record<string, unknown>>;
}

function activeTraceIds(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * Every finished line passes through here just before it is written, so the redaction covers the
 * message, child-logger bindings, mixin fields and whatever any serializer (Fastify's req/res/err)
 * produced. Numbers are left alone: only string values are masked.
 */
export function redactLine(line: string): string {
  try {
    return `${JSON.stringify(redactDeep(JSON.parse(line)))}\n`;
  } catch {
    return maskMsisdn(line);
  }
}

/**
 * A pino logger writing one JSON object per line with `level` (as a word), ISO `time`, `service`,
 * `trace_id`/`span_id` of the active OpenTelemetry span if any, and `msg`. Every line is redacted:
 * sensitive keys removed and MSISDNs masked (see `redactDeep`, `maskMsisdn`).
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const { service, level = 'info', destination, base = {} } = options;
  const settings = {
    level,
    base: { ...base, service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: activeTraceIds,
    hooks: { streamWrite: redactLine },
  };
  return destination === undefined ? pino(settings) : pino(settings, destination);
}

/** A child logger that writes `correlation_id` on every line (the request id or message id being handled). */
export function withCorrelationId(logger: Logger, correlationId: string): Logger {
  return logger.child({ correlation_id: correlationId });
}
