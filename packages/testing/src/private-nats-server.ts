import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startPrivateServer } from './private-server.js';
import type { PrivateServer } from './private-server.js';

/** A nats-server with JetStream of the test's own on a free port; a restart keeps its store, `dispose` removes it. */
export interface PrivateNatsServer extends PrivateServer {
  readonly url: string;
}

export async function startPrivateNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'sms-nats-'));
  const server = await startPrivateServer('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], port);
  return {
    ...server,
    url: `nats://127.0.0.1:${port}`,
    async dispose() {
      await server.dispose();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
