import { status } from '@grpc/grpc-js';
import { injectTraceContext } from '@sms/tracing';
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

  async check(query: Parameters<SenderLeaseChecker['check']>[0]): Promise<LeaseCheckResult> {
    try {
      const response = await this.options.client.validateLease(
        { sender: query.sender.value, tenantId: query.tenantId, use: this.options.use ?? DEFAULT_SENDER_USE },
        { token: await this.options.tokens.token(), deadline: this.options.timeoutMs, metadata: injectTraceContext({}) },
      );
      return response.valid ? { outcome: 'leased' } : { outcome: 'not-leased', reason: response.reason || 'not_leased' };
    } catch (error) {
      if (error instanceof NumberingCallError) {
        const reason = `${status[error.grpcCode] ?? error.grpcCode}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
        if (PERMANENT.has(error.grpcCode)) return { outcome: 'not-leased', reason };
        return { outcome: 'unavailable', reason: error.grpcCode === status.DEADLINE_EXCEEDED ? `timed out: ${reason}` : reason };
      }
      return { outcome: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
