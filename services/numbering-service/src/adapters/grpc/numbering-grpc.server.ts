import { Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import type { JwtVerifier } from '@sms/auth';
import type { Logger } from '@sms/logging';
import { isValidTenantId } from '@sms/db';
import { err } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { extractTraceContext, ROOT_CONTEXT, SpanKind, SpanStatusCode, withSpan } from '@sms/tracing';
import { authorize, numberingError, numberingGrpcStatus } from '../../index.js';
import type { Actor, NumberingError, Permission } from '../../index.js';
import { actorFor } from '../auth/actor-of-principal.js';
import { clientCertificateName } from './grpc-tls.js';
import { isInfrastructureFault } from '../infrastructure-fault.js';
import type { NumberingMetrics } from '../observability/numbering-metrics.js';
import type { NumberingUseCases } from '../../composition/numbering-use-cases.js';
import { protoNumberView, protoPublicNumberView } from './grpc-views.js';
import { NUMBERING_ERROR_CODE_KEY, NUMBERING_ERROR_FIELD_KEY, numberingServiceDefinition } from './numbering-contract.js';
import type {
  AssignRequest__Output,
  LookupRequest__Output,
  LookupResponse,
  NumberingHandlers,
  NumberResponse,
  RecallRequest__Output,
  ReleaseRequest__Output,
  ReserveRequest__Output,
  ValidateLeaseRequest__Output,
  ValidateLeaseResponse,
} from './numbering-contract.js';

export interface NumberingGrpcOptions {
  /** Read when a call arrives, so the server can be built before `start()` wires the use cases. */
  readonly useCases: () => NumberingUseCases;
  readonly verifier: JwtVerifier;
  readonly logger: Logger;
  readonly metrics?: NumberingMetrics;
  /**
   * Common names of the client certificates allowed to call (mutual TLS). Unset: any client the TLS
   * handshake accepted. Set on a plaintext listener, every call is refused (no certificate to check).
   */
  readonly allowedClients?: ReadonlySet<string>;
}

type Failure = Partial<ServiceError> & { code: status; details: string };

/** `rpc.service` of the spans, and the first half of their names (`sms.numbering.v1.Numbering/ValidateLease`). */
export const NUMBERING_RPC_SERVICE = 'sms.numbering.v1.Numbering';

// Statuses that mean the server failed (OpenTelemetry's gRPC conventions): the span is marked as an error.
// Refusals (INVALID_ARGUMENT, NOT_FOUND, ABORTED, …) are answers, not faults.
const SERVER_FAULTS = new Set<status>([status.UNKNOWN, status.DEADLINE_EXCEEDED, status.UNIMPLEMENTED, status.INTERNAL, status.UNAVAILABLE, status.DATA_LOSS]);

/** The W3C trace context the caller sent in the call's metadata (`traceparent`, `tracestate`). */
function traceHeadersOf(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const [value] = metadata.get(key);
    if (typeof value === 'string') headers[key] = value;
  }
  return headers;
}

const grpcStatusOf = (error: NumberingError): status => status[numberingGrpcStatus[error.code] as keyof typeof status];

/** A refusal as a gRPC error: the status, the message, and the numbering code (and field) in trailing metadata. */
export function grpcRefusal(error: NumberingError): Failure {
  const metadata = new Metadata();
  metadata.set(NUMBERING_ERROR_CODE_KEY, error.code);
  const field = error.details?.field;
  if (typeof field === 'string') metadata.set(NUMBERING_ERROR_FIELD_KEY, field);
  return { code: grpcStatusOf(error), details: error.message, metadata };
}

const invalid = (field: string, message: string): NumberingError => numberingError('NUMBERING.INVALID_ARGUMENT', message, { field });

/** A tenant id the platform accepts (the same rule as the tenant scope of the database and the tokens). */
function checkTenantId(value: string): Result<string, NumberingError> {
  return isValidTenantId(value) ? { ok: true, value } : err(invalid('tenantId', 'tenantId must be 1–128 of A-Z a-z 0-9 . _ : -'));
}

/** proto3 `optional`: the value when the caller set it (the `_field` marker of proto-loader's `oneofs`). */
const optional = <T>(marker: string | undefined, value: T | undefined): T | undefined => (marker === undefined ? undefined : value);

/**
 * The Numbering gRPC service: authenticates each call's bearer token, picks the caller's numbering role for
 * the call's permission, runs the use case in the caller's scope, and maps the Result to a gRPC status.
 */
export function createNumberingGrpcHandlers(options: NumberingGrpcOptions): NumberingHandlers {
  const { verifier, logger, metrics } = options;

  async function authenticate(call: ServerUnaryCall<unknown, unknown>, permission: Permission): Promise<Result<Actor, Failure>> {
    if (options.allowedClients !== undefined) {
      const client = clientCertificateName(call);
      if (client === null || !options.allowedClients.has(client)) {
        const who = client === null ? 'a connection without a client certificate' : `the client certificate ${client}`;
        return err({ code: status.PERMISSION_DENIED, details: `${who} is not on the allowlist of numbering-service's gRPC port` });
      }
    }
    const [header] = call.metadata.get('authorization');
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    if (token === '') return err({ code: status.UNAUTHENTICATED, details: 'a bearer token is required in the authorization metadata' });
    const verified = await verifier.verify(token);
    if (!verified.ok) return err({ code: status.UNAUTHENTICATED, details: verified.error.message });
    const actor = actorFor(verified.value, permission);
    return actor.ok ? actor : err(grpcRefusal(actor.error));
  }

  function unary<Req, Res>(
    method: string,
    permission: Permission,
    run: (request: Req, actor: Actor) => Promise<Result<Res, NumberingError>>,
  ): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
    return (call, callback) => {
      const stop = metrics?.grpcDuration.startTimer({ method });
      // One SERVER span per call, child of the caller's span when the metadata carries one.
      const parent = extractTraceContext(traceHeadersOf(call.metadata), ROOT_CONTEXT);
      const attributes = { 'rpc.system': 'grpc', 'rpc.service': NUMBERING_RPC_SERVICE, 'rpc.method': method };
      void withSpan(
        `${NUMBERING_RPC_SERVICE}/${method}`,
        async (span) => {
          const answer = (error: Failure | null, response?: Res): void => {
            stop?.();
            const code = error?.code ?? status.OK;
            metrics?.grpcRequests.inc({ method, code: status[code] });
            span.setAttribute('rpc.grpc.status_code', code);
            const numberingCode = error?.metadata?.get(NUMBERING_ERROR_CODE_KEY)[0];
            if (typeof numberingCode === 'string') span.setAttribute('numbering.error_code', numberingCode);
            if (error !== null && SERVER_FAULTS.has(code)) span.setStatus({ code: SpanStatusCode.ERROR, message: error.details });
            if (error === null) callback(null, response);
            else callback(error);
          };
          try {
            const actor = await authenticate(call, permission);
            if (!actor.ok) return answer(actor.error);
            const result = await run(call.request, actor.value);
            if (result.ok) answer(null, result.value);
            else answer(grpcRefusal(result.error));
          } catch (fault) {
            if (isInfrastructureFault(fault)) {
              logger.warn({ err: fault, method }, 'gRPC call failed: a dependency is unavailable');
              answer({ code: status.UNAVAILABLE, details: 'a dependency of numbering-service is unavailable; retry later' });
            } else {
              logger.error({ err: fault, method }, 'gRPC call failed');
              answer({ code: status.INTERNAL, details: 'internal error' });
            }
          }
        },
        { kind: SpanKind.SERVER, parent, attributes },
      );
    };
  }

  const command = <T>(name: string, result: Result<T, NumberingError>): Result<T, NumberingError> => {
    metrics?.recordCommand(name, result.ok ? 'ok' : result.error.code);
    return result;
  };

  return {
    ValidateLease: unary<ValidateLeaseRequest__Output, ValidateLeaseResponse>('ValidateLease', 'lease.validate', async (request, actor) => {
      const allowed = authorize(actor, 'lease.validate');
      if (!allowed.ok) return allowed;
      const result = await options.useCases().validateLease.execute({ sender: request.sender, tenantId: request.tenantId, use: request.use });
      if (!result.ok) return result;
      metrics?.recordValidateLease(result.value);
      const verdict = result.value.verdict;
      return {
        ok: true,
        value: verdict.valid
          ? { valid: true, reason: '', leaseId: verdict.leaseId, numberId: verdict.numberId, leaseEndsAt: verdict.leaseEndsAt }
          : { valid: false, reason: verdict.reason, leaseId: '', numberId: '', leaseEndsAt: '' },
      };
    }),

    Lookup: unary<LookupRequest__Output, LookupResponse>('Lookup', 'number.lookup', async (request, actor) => {
      const result = await options.useCases().forActor(actor).lookup.execute({ actor, number: request.number });
      if (!result.ok) return result;
      const found = result.value;
      return { ok: true, value: found.view === 'full' ? { full: protoNumberView(found.number) } : { public: protoPublicNumberView(found.number) } };
    }),

    Reserve: unary<ReserveRequest__Output, NumberResponse>('Reserve', 'number.reserve', async (request, actor) => {
      const tenantId = checkTenantId(request.tenantId);
      if (!tenantId.ok) return tenantId;
      const ttlSeconds = optional(request._ttlSeconds, request.ttlSeconds);
      const result = await options
        .useCases()
        .forActor(actor)
        .reserve.execute({
          actor,
          idempotencyKey: request.idempotencyKey,
          number: request.number,
          tenantId: tenantId.value,
          tenantPoolId: request.tenantPoolId,
          ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        });
      return viewOf(command('number.reserve', result));
    }),

    Assign: unary<AssignRequest__Output, NumberResponse>('Assign', 'number.assign', async (request, actor) => {
      const tenantId = checkTenantId(request.tenantId);
      if (!tenantId.ok) return tenantId;
      const termDays = optional(request._termDays, request.termDays);
      const autoRenew = optional(request._autoRenew, request.autoRenew);
      const result = await options
        .useCases()
        .forActor(actor)
        .assign.execute({
          actor,
          idempotencyKey: request.idempotencyKey,
          number: request.number,
          tenantId: tenantId.value,
          uses: request.uses,
          ...(termDays === undefined ? {} : { termDays }),
          ...(autoRenew === undefined ? {} : { autoRenew }),
        });
      return viewOf(command('number.assign', result));
    }),

    Release: unary<ReleaseRequest__Output, NumberResponse>('Release', 'number.release', async (request, actor) => {
      const tenantId = checkTenantId(request.tenantId);
      if (!tenantId.ok) return tenantId;
      const result = await options
        .useCases()
        .forActor(actor)
        .release.execute({ actor, idempotencyKey: request.idempotencyKey, number: request.number, tenantId: tenantId.value });
      return viewOf(command('number.release', result));
    }),

    Recall: unary<RecallRequest__Output, NumberResponse>('Recall', 'number.recall', async (request, actor) => {
      const note = optional(request._note, request.note);
      const result = await options
        .useCases()
        .forActor(actor)
        .recall.execute({
          actor,
          idempotencyKey: request.idempotencyKey,
          number: request.number,
          reason: request.reason,
          ...(note === undefined ? {} : { note }),
        });
      return viewOf(command('number.recall', result));
    }),
  };
}

const viewOf = (result: Result<Parameters<typeof protoNumberView>[0], NumberingError>): Result<NumberResponse, NumberingError> =>
  result.ok ? { ok: true, value: { number: protoNumberView(result.value) } } : result;

/** A gRPC server with the Numbering service added (not yet bound). */
export function createNumberingGrpcServer(options: NumberingGrpcOptions): Server {
  const server = new Server({ 'grpc.max_receive_message_length': 1024 * 1024 });
  server.addService(numberingServiceDefinition(), createNumberingGrpcHandlers(options));
  return server;
}

/** Binds and starts listening; resolves with the bound port (pass 0 for a free one). */
export function listenGrpc(server: Server, host: string, port: number, credentials: ServerCredentials = ServerCredentials.createInsecure()): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, credentials, (error, bound) => {
      if (error !== null) reject(error);
      else resolve(bound);
    });
  });
}

/**
 * Graceful stop: refuse new calls and let in-flight ones finish (`tryShutdown`), but for at most `graceMs`;
 * then cut what is left (`forceShutdown`). Resolves true when everything finished in time.
 */
export function shutdownGrpc(server: Server, graceMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve(false);
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
