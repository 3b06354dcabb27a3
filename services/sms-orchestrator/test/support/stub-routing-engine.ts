import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRoutingAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  /** Answer after this long (a slow engine). */
  readonly delayMs?: number;
}

export interface StubRoutingEngine {
  readonly url: string;
  readonly calls: Array<{ readonly body: Record<string, unknown>; readonly headers: IncomingHttpHeaders }>;
  answer(decide: (body: Record<string, unknown>) => StubRoutingAnswer): void;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export const ROSHAN_ROUTE: StubRoutingAnswer = { status: 200, body: { operator_id: 'roshan', connection_id: 'roshan-smpp-1' } };

/** A routing-engine stand-in answering `POST /v1/routes/resolve` as the Pact contract (pacts/) says; stoppable to play "down". */
export async function startStubRoutingEngine(): Promise<StubRoutingEngine> {
  let decide: (body: Record<string, unknown>) => StubRoutingAnswer = () => ROSHAN_ROUTE;
  const calls: StubRoutingEngine['calls'] = [];
  let server: Server | undefined;
  let port = 0;
  const start = async () => {
    const created = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        calls.push({ body, headers: request.headers });
        const answer = request.url === '/v1/routes/resolve' && request.method === 'POST' ? decide(body) : { status: 404, body: {} };
        setTimeout(() => {
          response.writeHead(answer.status, { 'content-type': answer.contentType ?? (answer.status === 200 ? 'application/json' : 'application/problem+json') });
          response.end(JSON.stringify(answer.body));
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => created.listen(port, '127.0.0.1', resolve));
    port = (created.address() as AddressInfo).port;
    server = created;
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    answer(next) {
      decide = next;
    },
    async stop() {
      const running = server;
      server = undefined;
      if (running === undefined) return;
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
    start,
  };
}
