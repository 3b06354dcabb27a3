import type { FastifyBaseLogger } from 'fastify';
import type { HttpApp } from './create-http-app.js';
import { setPhase } from './lifecycle.js';

/** Something to close after the HTTP server, in the given order (relay, consumers, NATS, Redis, pool). */
export interface ShutdownStep {
  readonly name: string;
  close(): Promise<void>;
}

export interface ShutdownOptions {
  readonly logger: FastifyBaseLogger;
  /** How long in-flight HTTP requests may take to finish before their connections are cut. Default 30000. */
  readonly graceMs?: number;
  /** The app(s) to stop: readiness turns 503, the listener closes, in-flight requests finish. */
  readonly http?: HttpApp | readonly HttpApp[];
  /** Closed one after another once HTTP is down. */
  readonly steps?: readonly ShutdownStep[];
  /**
   * Time between readiness turning 503 and the listener closing, so the load balancer stops routing
   * here first (a few seconds in Kubernetes). Counts within `graceMs`. Default 0.
   */
  readonly drainDelayMs?: number;
  /** Bound on each step; a step that takes longer is abandoned and the exit code becomes 1. Default 10000. */
  readonly stepTimeoutMs?: number;
}

export interface Shutdown {
  /** Runs the shutdown once (later calls get the same promise); resolves with the exit code: 0 clean, 1 not. */
  shutdown(reason: string): Promise<number>;
  readonly isShuttingDown: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves true if `work` settles within `ms`, false otherwise; a rejection is rethrown. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const IDLE_SWEEP_MS = 50;
const AFTER_CUT_MS = 5000;

async function closeHttpApp(app: HttpApp, deadline: number, logger: FastifyBaseLogger): Promise<boolean> {
  setPhase(app, 'closing');
  const closing = app.close();
  // Keep-alive sockets whose request just finished would otherwise hold the close open until their timeout.
  const sweeper = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    if (await settlesWithin(closing, deadline - Date.now())) return true;
    logger.warn('grace period over: cutting the connections of requests still in flight');
    app.server.closeAllConnections();
    await settlesWithin(closing, AFTER_CUT_MS);
    return false;
  } catch (error) {
    logger.error({ err: error }, 'closing the http server failed');
    return false;
  } finally {
    clearInterval(sweeper);
  }
}

/**
 * Graceful shutdown: readiness answers 503, (after `drainDelayMs`) the HTTP listener stops accepting
 * connections, in-flight requests finish within `graceMs` (then their connections are cut and the
 * exit code is 1), then each step closes in order (a failing or hanging step also makes it 1).
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const { logger, graceMs = 30_000, steps = [], drainDelayMs = 0, stepTimeoutMs = 10_000 } = options;
  const apps: readonly HttpApp[] = options.http === undefined ? [] : Array.isArray(options.http) ? options.http : [options.http as HttpApp];
  let running: Promise<number> | undefined;

  async function run(reason: string): Promise<number> {
    const started = Date.now();
    const deadline = started + graceMs;
    let exitCode = 0;
    logger.info({ reason, grace_ms: graceMs }, 'shutting down');

    for (const app of apps) setPhase(app, 'draining');
    if (drainDelayMs > 0 && apps.length > 0) await sleep(Math.min(drainDelayMs, graceMs));

    const closed = await Promise.all(apps.map((app) => closeHttpApp(app, deadline, logger)));
    if (closed.includes(false)) exitCode = 1;

    for (const step of steps) {
      try {
        const done = await settlesWithin(Promise.resolve().then(() => step.close()), stepTimeoutMs);
        if (done) {
          logger.info({ step: step.name }, 'closed');
        } else {
          logger.error({ step: step.name, timeout_ms: stepTimeoutMs }, 'close step timed out');
          exitCode = 1;
        }
      } catch (error) {
        logger.error({ err: error, step: step.name }, 'close step failed');
        exitCode = 1;
      }
    }

    logger.info({ exit_code: exitCode, duration_ms: Date.now() - started }, 'shutdown complete');
    return exitCode;
  }

  return {
    shutdown(reason: string) {
      running ??= run(reason);
      return running;
    },
    get isShuttingDown() {
      return running !== undefined;
    },
  };
}

export interface SignalHandlerOptions {
  readonly signals?: readonly NodeJS.Signals[];
  /** Default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT runs the shutdown and exits with its code; a second signal while shutting
 * down exits at once with 1. Returns a function that removes the handlers.
 */
export function installSignalHandlers(shutdown: Shutdown, options: SignalHandlerOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], exit = (code: number) => process.exit(code) } = options;
  const handler = (signal: NodeJS.Signals) => {
    if (shutdown.isShuttingDown) {
      exit(1);
      return;
    }
    void shutdown.shutdown(signal).then(exit, () => exit(1));
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
