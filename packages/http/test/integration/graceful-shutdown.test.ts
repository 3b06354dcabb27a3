import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createShutdown, startHttpServer } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { collectingLogger, testApp } from '../support/test-app.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function get(port: number, path: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ...(agent ? { agent } : { agent: false }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function tryConnect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** An app with `/slow` that holds each request for `holdMs`, and a promise resolved when one is in its handler. */
async function slowApp(holdMs: number) {
  const { logger, records } = collectingLogger();
  const app = await testApp({ logger });
  let markEntered: () => void = () => undefined;
  const entered = new Promise<void>((resolve) => (markEntered = resolve));
  app.get('/slow', async () => {
    markEntered();
    await sleep(holdMs);
    return { done: true };
  });
  const { port } = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  return { app, port, entered, logger, records };
}

describe('graceful shutdown over real sockets', () => {
  const agents: Agent[] = [];
  const apps: HttpApp[] = [];

  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
  });

  it('lets an in-flight request finish while refusing new connections, then exits 0', async () => {
    const { app, port, entered, logger } = await slowApp(500);
    apps.push(app);
    const keepAlive = new Agent({ keepAlive: true });
    agents.push(keepAlive);
    const inFlight = get(port, '/slow', keepAlive);
    await entered;

    const started = Date.now();
    const exitCode = createShutdown({ logger, graceMs: 5000, http: app }).shutdown('SIGTERM');
    await until(() => !app.server.listening);
    const refused = await tryConnect(port).then(
      () => 'connected',
      (error: NodeJS.ErrnoException) => error.code,
    );

    expect(refused).toBe('ECONNREFUSED');
    await expect(inFlight).resolves.toMatchObject({ status: 200, body: '{"done":true}' });
    expect(await exitCode).toBe(0);
    // The keep-alive socket must not hold the close open until its idle timeout.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('cuts a request that outlasts the grace period and reports exit code 1', async () => {
    const { app, port, entered, logger, records } = await slowApp(5000);
    apps.push(app);
    const tooSlow = get(port, '/slow').then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    await entered;

    const started = Date.now();
    const exitCode = await createShutdown({ logger, graceMs: 300, http: app }).shutdown('SIGTERM');

    expect(exitCode).toBe(1);
    expect(await tooSlow).toBe('ECONNRESET');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(records().some((record) => String(record.msg).startsWith('grace period over'))).toBe(true);
  });

  it('closes the steps in order once the HTTP server has stopped', async () => {
    const { app, logger } = await slowApp(0);
    apps.push(app);
    const calls: string[] = [];
    const step = (name: string) => ({
      name,
      close: async () => {
        await sleep(20);
        calls.push(`${name} (http listening: ${app.server.listening})`);
      },
    });

    const exitCode = await createShutdown({
      logger,
      http: app,
      steps: [step('outbox relay'), step('nats'), step('postgres pool')],
    }).shutdown('SIGTERM');

    expect(exitCode).toBe(0);
    expect(calls).toEqual([
      'outbox relay (http listening: false)',
      'nats (http listening: false)',
      'postgres pool (http listening: false)',
    ]);
  });

  it('answers readiness with 503 while shutting down, and still serves during the drain delay', async () => {
    const { app, port, logger } = await slowApp(0);
    apps.push(app);

    const exitCode = createShutdown({ logger, http: app, drainDelayMs: 400 }).shutdown('SIGTERM');
    const readiness = await get(port, '/health/ready');
    const work = await get(port, '/slow');

    expect(readiness.status).toBe(503);
    expect(JSON.parse(readiness.body)).toMatchObject({ status: 'shutting_down' });
    expect(work.status).toBe(200);
    expect(work.headers.connection).toBe('close');
    expect(await exitCode).toBe(0);
  });
});
