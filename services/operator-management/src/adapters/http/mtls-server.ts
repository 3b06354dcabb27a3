import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { sendProblem, type HttpApp } from '@sms/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { operatorManagementErrors } from '../../domain/operator-management-errors.js';

/** The TLS material and policy of the internal API's mTLS listener. */
export interface MtlsServerOptions {
  /** Default 0.0.0.0; 0 as port picks a free one (tests). */
  readonly host?: string;
  readonly port: number;
  /** Server certificate chain (PEM). */
  readonly cert: string | Buffer;
  /** Server private key (PEM). */
  readonly key: string | Buffer;
  /** The CA(s) client certificates must chain to (PEM). Only this CA: the system store is not trusted for clients. */
  readonly clientCa: string | Buffer;
}

export interface MtlsServer {
  readonly port: number;
  readonly url: string;
  /** Stops accepting connections, closes idle ones, waits for the rest. */
  close(): Promise<void>;
}

const isOperationalPath = (url: string): boolean => url.startsWith('/health/') || url === '/metrics';

/**
 * Serves `app` over HTTPS with mutual TLS: the TLS handshake itself refuses a client without a
 * certificate or with one that does not chain to `clientCa` (`requestCert`, `rejectUnauthorized`),
 * so such a client never reaches a route. The CN allow-list is enforced per request by
 * {@link mtlsGuard}. Node's `https` server hands requests to Fastify's router (`app.routing`), so
 * every hook, route and error handler of the app applies unchanged.
 *
 * Why here and not in @sms/http: `createHttpApp` builds a plain HTTP Fastify instance and the
 * runtime's `startHttpServer` listens on it; neither takes TLS options yet (see the service README).
 */
export async function startMtlsServer(app: HttpApp, options: MtlsServerOptions): Promise<MtlsServer> {
  await app.ready();
  const server: Server = createServer(
    {
      cert: options.cert,
      key: options.key,
      ca: options.clientCa,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (request, response) => app.routing(request, response),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '0.0.0.0';
  app.log.info({ host, port }, 'mTLS server listening');
  return {
    port,
    url: `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * An `onRequest` hook for the whole app: over mTLS, the client certificate's CN must be in
 * `allowedClients` (403 `OPS.CLIENT_CERTIFICATE_NOT_ALLOWED` otherwise). With `requireMtls`
 * (production), the API is refused over plain HTTP (403 `OPS.MTLS_REQUIRED`); health and metrics
 * stay on plain HTTP for probes and scrapers.
 */
export function mtlsGuard(options: { readonly allowedClients: readonly string[]; readonly requireMtls: boolean }) {
  const allowed = new Set(options.allowedClients);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (isOperationalPath(request.url)) return undefined;
    const socket = request.raw.socket as Partial<TLSSocket>;
    if (socket.encrypted === true) {
      const cn = socket.authorized === true ? socket.getPeerCertificate?.().subject?.CN : undefined;
      if (typeof cn === 'string' && allowed.has(cn)) return undefined;
      const definition = operatorManagementErrors['OPS.CLIENT_CERTIFICATE_NOT_ALLOWED'];
      request.log.warn({ code: 'OPS.CLIENT_CERTIFICATE_NOT_ALLOWED', client_cn: typeof cn === 'string' ? cn : null }, 'client certificate refused');
      return sendProblem(reply, {
        code: 'OPS.CLIENT_CERTIFICATE_NOT_ALLOWED',
        status: definition.status,
        title: definition.title,
        detail: 'The client certificate is not in this service’s allow-list.',
      });
    }
    if (!options.requireMtls) return undefined;
    const definition = operatorManagementErrors['OPS.MTLS_REQUIRED'];
    return sendProblem(reply, {
      code: 'OPS.MTLS_REQUIRED',
      status: definition.status,
      title: definition.title,
      detail: 'Call the internal API over mutual TLS; plain HTTP serves only /health and /metrics.',
    });
  };
}
