import { credentials } from '@grpc/grpc-js';
import type { Server } from '@grpc/grpc-js';
import { createLogger } from '@sms/logging';
import type { JwtVerifier } from '@sms/auth';
import { createNumberingGrpcServer, listenGrpc } from '../../src/adapters/grpc/numbering-grpc.server.js';
import { createNumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import type { NumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import type { NumberingUseCases } from '../../src/composition/numbering-use-cases.js';

/** A Numbering gRPC server on a free port of 127.0.0.1 and a client connected to it. */
export interface GrpcHarness {
  readonly server: Server;
  readonly client: NumberingClient;
  readonly address: string;
  close(): Promise<void>;
}

export async function startGrpcHarness(useCases: NumberingUseCases, verifier: JwtVerifier): Promise<GrpcHarness> {
  const server = createNumberingGrpcServer({ useCases: () => useCases, verifier, logger: createLogger({ service: 'numbering-test', level: 'silent' }) });
  const port = await listenGrpc(server, '127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const client = createNumberingClient(address, credentials.createInsecure(), { timeoutMs: 10_000 });
  return {
    server,
    client,
    address,
    close: async () => {
      client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
