import { afterEach, describe, expect, it, vi } from 'vitest';
import { createShutdown, installSignalHandlers } from '@sms/http';
import { collectingLogger } from '../support/test-app.js';

describe('createShutdown', () => {
  it('still closes the later steps when one fails, and reports exit code 1', async () => {
    const { logger, records } = collectingLogger();
    const closed: string[] = [];

    const exitCode = await createShutdown({
      logger,
      steps: [
        { name: 'nats', close: () => Promise.reject(new Error('drain failed')) },
        { name: 'postgres', close: () => Promise.resolve(void closed.push('postgres')) },
      ],
    }).shutdown('test');

    expect(exitCode).toBe(1);
    expect(closed).toEqual(['postgres']);
    expect(records().find((record) => record.msg === 'close step failed')).toMatchObject({ step: 'nats' });
  });

  it('abandons a step that hangs past its bound', async () => {
    const { logger } = collectingLogger();

    const exitCode = await createShutdown({
      logger,
      stepTimeoutMs: 50,
      steps: [{ name: 'stuck', close: () => new Promise<void>(() => undefined) }],
    }).shutdown('test');

    expect(exitCode).toBe(1);
  });

  it('runs only once however often it is asked', async () => {
    const { logger } = collectingLogger();
    const close = vi.fn(() => Promise.resolve());
    const shutdown = createShutdown({ logger, steps: [{ name: 'pool', close }] });

    const [first, second] = await Promise.all([shutdown.shutdown('SIGTERM'), shutdown.shutdown('SIGINT')]);

    expect([first, second]).toEqual([0, 0]);
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('installSignalHandlers', () => {
  let uninstall: () => void = () => undefined;

  afterEach(() => uninstall());

  it('runs the shutdown on the signal and exits with its code', async () => {
    const { logger } = collectingLogger();
    const shutdown = createShutdown({ logger, steps: [] });
    const exit = vi.fn();
    uninstall = installSignalHandlers(shutdown, { signals: ['SIGUSR2'], exit });

    process.emit('SIGUSR2', 'SIGUSR2');
    await vi.waitFor(() => expect(exit).toHaveBeenCalled());

    expect(exit).toHaveBeenCalledWith(0);
  });

  it('exits at once with 1 on a second signal during shutdown', () => {
    const { logger } = collectingLogger();
    const shutdown = createShutdown({ logger, steps: [{ name: 'slow', close: () => new Promise((r) => setTimeout(r, 200)) }] });
    const exit = vi.fn();
    uninstall = installSignalHandlers(shutdown, { signals: ['SIGUSR2'], exit });

    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');

    expect(exit).toHaveBeenCalledWith(1);
  });
});
