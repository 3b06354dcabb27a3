import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, createLogger, withCorrelationId } from '@sms/logging';

const MSISDN = '+93701234567';
const DIGITS = '93701234567';

function captureLogger() {
  const lines: string[] = [];
  const logger = createLogger({ service: 'sms-orchestrator', level: 'trace', destination: { write: (line: string) => lines.push(line) } });
  return {
    logger,
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  let provider: NodeTracerProvider;

  beforeAll(() => {
    provider = new NodeTracerProvider();
    provider.register();
  });

  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('writes one JSON line per event with service, level, time and message', () => {
    const { logger, lines, records } = captureLogger();

    logger.info('started');
    logger.warn('slow');

    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(records()[0]).toMatchObject({ level: 'info', service: 'sms-orchestrator', msg: 'started' });
    expect(typeof records()[0]?.time).toBe('string');
  });

  it('never writes message bodies, passwords or tokens', () => {
    const { logger, lines } = captureLogger();

    logger.info(
      {
        request: { body: { to: MSISDN, text: 'Your OTP is 483920' }, headers: { authorization: 'Bearer eyJabc.def' } },
        smpp: { system_id: 'roshan', password: 'smpp-pass-1' },
        tokens: [{ access_token: 'at-secret-1', refresh_token: 'rt-secret-1' }],
        short_message: 'hello there',
      },
      'submit',
    );

    const output = lines.join('');
    for (const secret of ['483920', 'eyJabc', 'smpp-pass-1', 'at-secret-1', 'rt-secret-1', 'hello there']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain(REDACTED);
    expect(output).toContain('roshan');
  });

  it('masks MSISDNs in fields, in the message and in interpolated arguments, keeping the last 3 digits', () => {
    const { logger, lines } = captureLogger();

    logger.info({ to: MSISDN, recipients: [DIGITS, '+93 79 987 6543'] }, 'sending to %s', MSISDN);
    logger.info(`delivered to ${DIGITS}`);

    const output = lines.join('');
    expect(output).not.toContain(DIGITS);
    expect(output).not.toContain('987 6543');
    expect(output).toContain('+********567');
    expect(output).toContain('********543');
    expect(output).toContain('sending to +********567');
    expect(output).toContain('delivered to ********567');
  });

  it('masks MSISDNs in a logged error message and stack and redacts its secret fields', () => {
    const { logger, lines, records } = captureLogger();
    const error = Object.assign(new Error(`no lease for ${MSISDN}`), { token: 'tok-1', cause: new Error(`upstream ${DIGITS}`) });

    logger.error({ err: error }, 'lease check failed');
    logger.error(error);

    const output = lines.join('');
    expect(output).not.toContain(DIGITS);
    expect(output).not.toContain('tok-1');
    const [first, second] = records();
    expect(first?.err).toMatchObject({ type: 'Error', token: REDACTED });
    expect(String((first?.err as Record<string, unknown>).message)).toContain('no lease for +********567');
    expect(String((first?.err as Record<string, unknown>).stack)).toContain('no lease for +********567');
    expect(second?.msg).toBe('no lease for +********567');
  });

  it('writes correlation_id on every line of a child logger and redacts its bindings', () => {
    const { logger, records } = captureLogger();

    const child = withCorrelationId(logger, 'req-42').child({ msisdn: MSISDN, apiKey: 'k-1' });
    child.info('one');
    child.info('two');

    expect(records()).toEqual([
      expect.objectContaining({ correlation_id: 'req-42', msisdn: '+********567', apiKey: REDACTED, msg: 'one' }),
      expect.objectContaining({ correlation_id: 'req-42', msisdn: '+********567', apiKey: REDACTED, msg: 'two' }),
    ]);
  });

  it('adds trace_id and span_id of the active span', () => {
    const { logger, records } = captureLogger();
    const tracer = trace.getTracer('test');

    const ids = tracer.startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });

    expect(records()[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
  });

  it('adds no trace ids outside a span', () => {
    const { logger, records } = captureLogger();

    logger.info('outside');

    expect(records()[0]).not.toHaveProperty('trace_id');
  });

  it('leaves numbers untouched', () => {
    const { logger, records } = captureLogger();

    logger.info({ count: 93701234567, duration_ms: 12.5 }, 'stats');

    expect(records()[0]).toMatchObject({ count: 93701234567, duration_ms: 12.5 });
  });
});
