import { readFileSync } from 'node:fs';
import { ServerCredentials } from '@grpc/grpc-js';
import type { ServerUnaryCall } from '@grpc/grpc-js';

/** PEM files of the gRPC port's mutual TLS. */
export interface GrpcServerTlsFiles {
  /** The server's certificate (chain). */
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA whose client certificates are accepted. */
  readonly caFile: string;
}

/**
 * Server credentials for mutual TLS: the server presents its certificate, and the TLS handshake fails for
 * a client without a certificate or with one not issued by the CA (the call never reaches a handler).
 * Reads the files now, so a missing or unreadable file stops the service at start with its path.
 */
export function mutualTlsServerCredentials(files: GrpcServerTlsFiles): ServerCredentials {
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read the gRPC TLS ${what} at ${path}`, { cause: error });
    }
  };
  return ServerCredentials.createSsl(
    read(files.caFile, 'client CA file'),
    [{ cert_chain: read(files.certFile, 'certificate file'), private_key: read(files.keyFile, 'key file') }],
    true,
  );
}

/** The common name of the client certificate the call's TLS connection presented; null on a plaintext connection. */
export function clientCertificateName(call: Pick<ServerUnaryCall<unknown, unknown>, 'getAuthContext'>): string | null {
  const certificate = call.getAuthContext().sslPeerCertificate;
  const name: unknown = certificate?.subject?.CN;
  if (typeof name === 'string' && name !== '') return name;
  return Array.isArray(name) && typeof name[0] === 'string' ? name[0] : null;
}
