import { Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { numberingServiceDefinition } from '../../src/adapters/grpc/numbering-contract.js';
import type { NumberingHandlers, ValidateLeaseRequest__Output, ValidateLeaseResponse } from '../../src/adapters/grpc/numbering-contract.js';

/** What the stub answers to one ValidateLease: a response, or a gRPC error (with an optional numbering code). */
export type StubLeaseAnswer =
  | { readonly response: ValidateLeaseResponse }
  | { readonly error: status; readonly code?: string; readonly delayMs?: number };

export interface StubNumbering {
  readonly address: string;
  /** Every call received, with the metadata that came with it. */
  readonly calls: Array<{ readonly request: ValidateLeaseRequest__Output; readonly metadata: Record<string, string> }>;
  answer(decide: (request: ValidateLeaseRequest__Output) => StubLeaseAnswer): void;
  /** Stops listening (the numbering service is down). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

const leased: StubLeaseAnswer = { response: { valid: true, reason: '', leaseId: 'lease-1', numberId: 'number-1', leaseEndsAt: '2027-01-01T00:00:00.000Z' } };

/**
 * A numbering-service stand-in speaking the real proto (`sms.numbering.v1`, from the contracts
 * package) on 127.0.0.1: the orchestrator's real gRPC client talks to it. Only ValidateLease is
 * implemented; the others answer UNIMPLEMENTED. Plaintext unless server credentials are given (mTLS tests).
 */
export async function startStubNumbering(serverCredentials: ServerCredentials = ServerCredentials.createInsecure()): Promise<StubNumbering> {
  let decide: (request: ValidateLeaseRequest__Output) => StubLeaseAnswer = () => leased;
  const calls: StubNumbering['calls'] = [];
  const unimplemented = (_call: unknown, callback: (error: Partial<ServiceError>) => void) => callback({ code: status.UNIMPLEMENTED, details: 'not in the stub' });
  const handlers: NumberingHandlers = {
    ValidateLease(call, callback) {
      const metadata = Object.fromEntries(Object.entries(call.metadata.getMap()).map(([key, value]) => [key, String(value)]));
      calls.push({ request: call.request, metadata });
      const answer = decide(call.request);
      if ('response' in answer) {
        callback(null, answer.response);
        return;
      }
      const trailers = new Metadata();
      if (answer.code !== undefined) trailers.set('numbering-error-code', answer.code);
      setTimeout(() => callback({ code: answer.error, details: `stub answered ${status[answer.error]}`, metadata: trailers }), answer.delayMs ?? 0);
    },
    Lookup: unimplemented,
    Reserve: unimplemented,
    Assign: unimplemented,
    Release: unimplemented,
    Recall: unimplemented,
  };
  let server: Server | undefined;
  let port = 0;
  const start = async () => {
    const created = new Server();
    created.addService(numberingServiceDefinition(), handlers);
    port = await new Promise<number>((resolve, reject) =>
      created.bindAsync(`127.0.0.1:${port}`, serverCredentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    server = created;
  };
  await start();
  return {
    address: `127.0.0.1:${port}`,
    calls,
    answer(next) {
      decide = next;
    },
    stop() {
      server?.forceShutdown();
      server = undefined;
      return Promise.resolve();
    },
    start,
  };
}

export const LEASED = leased;
