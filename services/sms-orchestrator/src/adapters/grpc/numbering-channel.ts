import { readFileSync } from 'node:fs';
import { credentials } from '@grpc/grpc-js';
import type { ChannelCredentials, ClientOptions } from '@grpc/grpc-js';

/** The orchestrator's side of numbering-service's mutual TLS: the CA of the server, and the client certificate. */
export interface NumberingClientTls {
  /** CA that issued numbering-service's server certificate. */
  readonly caFile: string;
  /** The orchestrator's client certificate and key (issued by the CA numbering-service trusts). */
  readonly certFile: string;
  readonly keyFile: string;
  /** Name to verify the server certificate against, when it differs from the host of the address. */
  readonly serverName?: string;
}

const RECONNECT: ClientOptions = { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 5_000 };

/**
 * The channel to numbering-service: mutual TLS when the files are configured, plaintext otherwise
 * (development). Reads the files now, so a missing one stops the orchestrator at start with its path.
 */
export function numberingChannel(tls: NumberingClientTls | null): { readonly credentials: ChannelCredentials; readonly channelOptions: ClientOptions } {
  if (tls === null) return { credentials: credentials.createInsecure(), channelOptions: RECONNECT };
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read the numbering gRPC TLS ${what} at ${path}`, { cause: error });
    }
  };
  return {
    credentials: credentials.createSsl(read(tls.caFile, 'CA file'), read(tls.keyFile, 'key file'), read(tls.certFile, 'certificate file')),
    channelOptions: tls.serverName === undefined ? RECONNECT : { ...RECONNECT, 'grpc.ssl_target_name_override': tls.serverName },
  };
}
