import { status } from '@grpc/grpc-js';
import { injectTraceContext, SpanKind, SpanStatusCode, withSpan } from '@sms/tracing';
import type { LeaseCheckResult, SenderLeaseChecker } from '../../application/ports/sender-lease-checker.port.js';
import type { ServiceTokenSource } from '../service-token.js';
import { NumberingCallError } from './numbering-contract.js';
import type { NumberingClient } from './numbering-contract.js';

/** The use a message's sender is checked for (numbering's `ValidateLease.use`); messages carry no use of their own yet. */
export const DEFAULT_SENDER_USE = 'transactional';

export interface GrpcSenderLeaseCheckerOptions {
  readonly client: Pick<NumberingClient, 'validateLease'>;
  readonly tokens: ServiceTokenSource;
  /** Deadline of one call. */
  readonly timeoutMs: number;
  readonly use?: string;
}

// Answers that say the request itself is wrong for this sender: retrying cannot help.
const PERMANENT = new Set<number>([status.INVALID_ARGUMENT, status.NOT_FOUND]);

const RPC_SERVICE = 'sms.numbering.v1.Numbering';

/**
 * {@link SenderLeaseChecker} over numbering-service's gRPC `ValidateLease` (proto
 * `sms.numbering.v1`), with the orchestrator's service token and the W3C trace context in the
 * metadata. `valid: false` is `not-leased` with numbering's reason; INVALID_ARGUMENT and NOT_FOUND
 * also (the sender is not a number numbering knows); every other failure — UNAVAILABLE,
 * DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, and UNAUTHENTICATED/PERMISSION_DENIED (our token is wrong,
 * an operator must fix it: do not reject tenants' messages meanwhile) — is `unavailable`, so the
 * pipeline retries and, if it lasts, dead-letters.
 */
export class GrpcSenderLeaseChecker implements SenderLeaseChecker {
  constructor(private readonly options: GrpcSenderLeaseCheckerOptions) {}

  /**
   * One CLIENT span per call (`sms.numbering.v1.Numbering/ValidateLease`), whose context goes to
   * numbering-service as `traceparent` in the metadata, so its SERVER span is this span's child.
   */
  check(query: Parameters<SenderLeaseChecker['check']>[0]): Promise<LeaseCheckResult> {
    return withSpan(
      `${RPC_SERVICE}/ValidateLease`,
      async (span) => {
        const { result, grpcCode } = await this.call(query);
        span.setAttribute('rpc.grpc.status_code', grpcCode);
        span.setAttribute('orch.lease_check', result.outcome);
        if (result.outcome === 'unavailable') span.setStatus({ code: SpanStatusCode.ERROR, message: result.reason });
        return result;
      },
      { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc', 'rpc.service': RPC_SERVICE, 'rpc.method': 'ValidateLease' } },
    );
  }

  private async call(query: Parameters<SenderLeaseChecker['check']>[0]): Promise<{ result: LeaseCheckResult; grpcCode: number }> {
    try {
      const response = await this.options.client.validateLease(
        { sender: query.sender.value, tenantId: query.tenantId, use: this.options.use ?? DEFAULT_SENDER_USE },
        { token: await this.options.tokens.token(), deadline: this.options.timeoutMs, metadata: injectTraceContext({}) },
      );
      const result: LeaseCheckResult = response.valid ? { outcome: 'leased' } : { outcome: 'not-leased', reason: response.reason || 'not_leased' };
      return { result, grpcCode: status.OK };
    } catch (error) {
      if (error instanceof NumberingCallError) {
        const grpcCode = error.grpcCode;
        const reason = `${status[grpcCode] ?? grpcCode}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
        if (PERMANENT.has(grpcCode)) return { result: { outcome: 'not-leased', reason }, grpcCode };
        return { result: { outcome: 'unavailable', reason: grpcCode === status.DEADLINE_EXCEEDED ? `timed out: ${reason}` : reason }, grpcCode };
      }
      return { result: { outcome: 'unavailable', reason: error instanceof Error ? error.message : String(error) }, grpcCode: status.UNKNOWN };
    }
  }
}
