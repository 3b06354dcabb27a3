import type { Route, SenderSnapshot } from '../../domain/sms-message.js';

/**
 * - `route`: deliver through this operator and SMPP connection;
 * - `no-route`: no operator serves the destination (no prefix rule, operator barred):
 *   permanent, the message is rejected with `ORCH.NO_ROUTE`;
 * - `unavailable`: the routing engine could not answer: transient, the pipeline retries.
 */
export type RouteResult =
  | { readonly outcome: 'route'; readonly route: Route }
  | { readonly outcome: 'no-route'; readonly reason: string }
  | { readonly outcome: 'unavailable'; readonly reason: string };

/**
 * Asks the routing engine which operator and connection should carry a message (prefix rules,
 * operator health, priority, failover). Adapters map timeouts and connection errors to
 * `unavailable` instead of throwing.
 */
export interface Router {
  route(query: {
    readonly tenantId: string;
    readonly messageId: string;
    /** E.164. */
    readonly destination: string;
    readonly sender: SenderSnapshot;
    readonly segments: number;
  }): Promise<RouteResult>;
}
