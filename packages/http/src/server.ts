import type { AddressInfo } from 'node:net';
import type { HttpApp } from './create-http-app.js';

export interface ListenOptions {
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

export interface ListeningServer {
  readonly url: string;
  readonly port: number;
}

/** Starts listening and logs where. Resolves once connections are accepted. */
export async function startHttpServer(app: HttpApp, options: ListenOptions): Promise<ListeningServer> {
  const host = options.host ?? '0.0.0.0';
  const url = await app.listen({ host, port: options.port });
  const { port } = app.server.address() as AddressInfo;
  app.log.info({ host, port }, 'http server listening');
  return { url, port };
}
