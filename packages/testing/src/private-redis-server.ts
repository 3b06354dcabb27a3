import { freePort } from './free-port.js';
import { startPrivateServer } from './private-server.js';
import type { PrivateServer } from './private-server.js';

/** A redis-server of the test's own on a free port (nothing persisted), for outage drills and `CONFIG SET`. */
export interface PrivateRedisServer extends PrivateServer {
  readonly url: string;
}

export async function startPrivateRedisServer(): Promise<PrivateRedisServer> {
  const port = await freePort();
  const server = await startPrivateServer('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);
  return { ...server, url: `redis://127.0.0.1:${port}` };
}
