import { fileURLToPath } from 'node:url';
import { Metadata, loadPackageDefinition, status } from '@grpc/grpc-js';
import type { CallOptions, ChannelCredentials, ClientOptions, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { Options } from '@grpc/proto-loader';
import type { ProtoGrpcType } from '../generated/numbering/numbering.js';
import type { AssignRequest } from '../generated/numbering/sms/numbering/v1/AssignRequest.js';
import type { LookupRequest } from '../generated/numbering/sms/numbering/v1/LookupRequest.js';
import type { LookupResponse__Output } from '../generated/numbering/sms/numbering/v1/LookupResponse.js';
import type { NumberResponse__Output } from '../generated/numbering/sms/numbering/v1/NumberResponse.js';
import type { NumberingClient as GeneratedNumberingClient, NumberingDefinition } from '../generated/numbering/sms/numbering/v1/Numbering.js';
import type { RecallRequest } from '../generated/numbering/sms/numbering/v1/RecallRequest.js';
import type { ReleaseRequest } from '../generated/numbering/sms/numbering/v1/ReleaseRequest.js';
import type { ReserveRequest } from '../generated/numbering/sms/numbering/v1/ReserveRequest.js';
import type { ValidateLeaseRequest } from '../generated/numbering/sms/numbering/v1/ValidateLeaseRequest.js';
import type { ValidateLeaseResponse__Output } from '../generated/numbering/sms/numbering/v1/ValidateLeaseResponse.js';

export type { ProtoGrpcType as NumberingProtoGrpcType } from '../generated/numbering/numbering.js';
export type { NumberingDefinition, NumberingHandlers } from '../generated/numbering/sms/numbering/v1/Numbering.js';
export type { AssignRequest, AssignRequest__Output } from '../generated/numbering/sms/numbering/v1/AssignRequest.js';
export type { Lease, Lease__Output } from '../generated/numbering/sms/numbering/v1/Lease.js';
export type { LookupRequest, LookupRequest__Output } from '../generated/numbering/sms/numbering/v1/LookupRequest.js';
export type { LookupResponse, LookupResponse__Output } from '../generated/numbering/sms/numbering/v1/LookupResponse.js';
export type { NumberResponse, NumberResponse__Output } from '../generated/numbering/sms/numbering/v1/NumberResponse.js';
export type { NumberView, NumberView__Output } from '../generated/numbering/sms/numbering/v1/NumberView.js';
export type { PublicNumberView, PublicNumberView__Output } from '../generated/numbering/sms/numbering/v1/PublicNumberView.js';
export type { Quarantine, Quarantine__Output } from '../generated/numbering/sms/numbering/v1/Quarantine.js';
export type { Recall, Recall__Output } from '../generated/numbering/sms/numbering/v1/Recall.js';
export type { RecallRequest, RecallRequest__Output } from '../generated/numbering/sms/numbering/v1/RecallRequest.js';
export type { ReleaseRequest, ReleaseRequest__Output } from '../generated/numbering/sms/numbering/v1/ReleaseRequest.js';
export type { Reservation, Reservation__Output } from '../generated/numbering/sms/numbering/v1/Reservation.js';
export type { ReserveRequest, ReserveRequest__Output } from '../generated/numbering/sms/numbering/v1/ReserveRequest.js';
export type { Retirement, Retirement__Output } from '../generated/numbering/sms/numbering/v1/Retirement.js';
export type { ValidateLeaseRequest, ValidateLeaseRequest__Output } from '../generated/numbering/sms/numbering/v1/ValidateLeaseRequest.js';
export type { ValidateLeaseResponse, ValidateLeaseResponse__Output } from '../generated/numbering/sms/numbering/v1/ValidateLeaseResponse.js';

/** Absolute path of `numbering.proto` (package `sms.numbering.v1`). */
export const NUMBERING_PROTO_FILE = fileURLToPath(new URL('../../proto/numbering.proto', import.meta.url));

/**
 * The proto-loader options the generated types were made for (`proto-loader-gen-types --longs=String
 * --enums=String --defaults --oneofs`): camelCase fields, absent scalars read as their defaults, and a
 * `_field` marker telling whether a proto3 `optional` field was sent.
 */
export const NUMBERING_PROTO_OPTIONS: Options = Object.freeze({ keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });

/** Trailing metadata keys of a refusal: the stable numbering error code, and the offending field when known. */
export const NUMBERING_ERROR_CODE_KEY = 'numbering-error-code';
export const NUMBERING_ERROR_FIELD_KEY = 'numbering-error-field';

let loaded: ProtoGrpcType | undefined;

/** The loaded proto package, typed by the generated `ProtoGrpcType` (loaded once). */
export function loadNumberingProto(): ProtoGrpcType {
  loaded ??= loadPackageDefinition(loadSync(NUMBERING_PROTO_FILE, NUMBERING_PROTO_OPTIONS)) as unknown as ProtoGrpcType;
  return loaded;
}

/** The typed service definition, for `server.addService(numberingServiceDefinition(), handlers)`. */
export const numberingServiceDefinition = (): NumberingDefinition => loadNumberingProto().sms.numbering.v1.Numbering.service;

/** A refusal or failure of a numbering call: the gRPC status, and the numbering error code when the service gave one. */
export class NumberingCallError extends Error {
  override readonly name = 'NumberingCallError';
  constructor(
    /** gRPC status code (`status.ABORTED`, …). */
    readonly grpcCode: status,
    /** `NUMBERING.CONFLICT`, … or null for failures outside the service's registry (UNAVAILABLE, UNAUTHENTICATED, …). */
    readonly code: string | null,
    /** The request field the service named as wrong, if any. */
    readonly field: string | null,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface NumberingCallOptions {
  /** Bearer token of the caller (`authorization` metadata). Default: the client's token. */
  readonly token?: string;
  /** Absolute deadline or milliseconds from now. Default: the client's default timeout. */
  readonly deadline?: Date | number;
  /** Extra metadata (e.g. `traceparent`). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A promise-based, typed client of the Numbering service. */
export interface NumberingClient {
  validateLease(request: ValidateLeaseRequest, options?: NumberingCallOptions): Promise<ValidateLeaseResponse__Output>;
  lookup(request: LookupRequest, options?: NumberingCallOptions): Promise<LookupResponse__Output>;
  reserve(request: ReserveRequest, options?: NumberingCallOptions): Promise<NumberResponse__Output>;
  assign(request: AssignRequest, options?: NumberingCallOptions): Promise<NumberResponse__Output>;
  release(request: ReleaseRequest, options?: NumberingCallOptions): Promise<NumberResponse__Output>;
  recall(request: RecallRequest, options?: NumberingCallOptions): Promise<NumberResponse__Output>;
  /** The underlying grpc-js client (channel state, `waitForReady`). */
  readonly grpc: GeneratedNumberingClient;
  close(): void;
}

export interface NumberingClientOptions {
  /** Default bearer token for every call (a service token for internal callers). */
  readonly token?: string;
  /** Default per-call timeout in ms. Default 2000. */
  readonly timeoutMs?: number;
  readonly channelOptions?: ClientOptions;
}

const metadataValue = (metadata: Metadata, key: string): string | null => {
  const [value] = metadata.get(key);
  return typeof value === 'string' ? value : null;
};

/** Turns a grpc-js ServiceError into a {@link NumberingCallError} carrying the numbering error code. */
export function numberingCallErrorOf(error: ServiceError): NumberingCallError {
  const trailers = error.metadata ?? new Metadata();
  return new NumberingCallError(
    error.code,
    metadataValue(trailers, NUMBERING_ERROR_CODE_KEY),
    metadataValue(trailers, NUMBERING_ERROR_FIELD_KEY),
    error.details || error.message,
    { cause: error },
  );
}

type Invoke<Res> = (metadata: Metadata, options: CallOptions, callback: (error: ServiceError | null, response?: Res) => void) => unknown;

/**
 * The client the orchestrator (and other internal callers) use: `createNumberingClient('numbering:9081',
 * credentials.createInsecure(), { token })`, then `await client.validateLease({ sender, tenantId, use })`.
 * Refusals reject with {@link NumberingCallError} (`grpcCode`, `code` such as `NUMBERING.CONFLICT`).
 */
export function createNumberingClient(address: string, channelCredentials: ChannelCredentials, options: NumberingClientOptions = {}): NumberingClient {
  const Constructor = loadNumberingProto().sms.numbering.v1.Numbering;
  const client = new Constructor(address, channelCredentials, options.channelOptions);
  const timeoutMs = options.timeoutMs ?? 2000;

  const call = <Res>(invoke: Invoke<Res>, callOptions: NumberingCallOptions = {}): Promise<Res> => {
    const metadata = new Metadata();
    const token = callOptions.token ?? options.token;
    if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
    for (const [key, value] of Object.entries(callOptions.metadata ?? {})) metadata.set(key, value);
    const deadline = callOptions.deadline ?? timeoutMs;
    return new Promise<Res>((resolve, reject) => {
      invoke(metadata, { deadline: typeof deadline === 'number' ? Date.now() + deadline : deadline }, (error, response) => {
        if (error !== null) reject(numberingCallErrorOf(error));
        else if (response === undefined) reject(new NumberingCallError(status.INTERNAL, null, null, 'empty response'));
        else resolve(response);
      });
    });
  };

  return {
    validateLease: (request, o) => call<ValidateLeaseResponse__Output>((m, c, cb) => client.ValidateLease(request, m, c, cb), o),
    lookup: (request, o) => call<LookupResponse__Output>((m, c, cb) => client.Lookup(request, m, c, cb), o),
    reserve: (request, o) => call<NumberResponse__Output>((m, c, cb) => client.Reserve(request, m, c, cb), o),
    assign: (request, o) => call<NumberResponse__Output>((m, c, cb) => client.Assign(request, m, c, cb), o),
    release: (request, o) => call<NumberResponse__Output>((m, c, cb) => client.Release(request, m, c, cb), o),
    recall: (request, o) => call<NumberResponse__Output>((m, c, cb) => client.Recall(request, m, c, cb), o),
    grpc: client,
    close: () => client.close(),
  };
}
