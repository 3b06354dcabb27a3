import type { SenderSnapshot } from '../../domain/sms-message.js';

/**
 * - `leased`: the sender is leased to the tenant at that instant;
 * - `not-leased`: it is not (free, reserved, leased to another tenant, quarantined, recalled, or
 *   unknown): permanent, the message is rejected with `ORCH.SENDER_NOT_LEASED`;
 * - `unavailable`: the numbering service could not answer (down, timed out, overloaded):
 *   transient, the pipeline retries.
 */
export type LeaseCheckResult =
  | { readonly outcome: 'leased' }
  | { readonly outcome: 'not-leased'; readonly reason: string }
  | { readonly outcome: 'unavailable'; readonly reason: string };

/**
 * Asks the numbering service whether a sender (MSISDN or short code) is leased to a tenant:
 * mirrors its gRPC `ValidateLease`. Adapters map timeouts and connection errors to
 * `unavailable` instead of throwing; a throw is treated as a bug or infrastructure fault and
 * propagates (the bus redelivers the message).
 */
export interface SenderLeaseChecker {
  check(query: { readonly tenantId: string; readonly sender: SenderSnapshot; readonly at: Date }): Promise<LeaseCheckResult>;
}
