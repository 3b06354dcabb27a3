import type { SubscriptionSpec } from './bus.port.js';
import { assertValidSubject } from './subjects.js';

/** A subscription's retry and dead-letter settings with the port's defaults applied. */
export interface DeliveryPolicy {
  readonly maxDeliver: number;
  readonly backoffMs: readonly number[];
  readonly deadLetterSubject: string;
  readonly ackWaitMs: number;
}

export const DEFAULT_DEAD_LETTER_PREFIX = 'dlq';

const DEFAULT_MAX_DELIVER = 5;
const DEFAULT_BACKOFF_MS = [1000, 5000, 30_000] as const;
const DEFAULT_ACK_WAIT_MS = 30_000;

/** Validates a subscription spec (programmer errors throw) and fills in the defaults of the port. */
export function deliveryPolicyFor(spec: SubscriptionSpec, deadLetterPrefix: string): DeliveryPolicy {
  if (!/^[A-Za-z0-9_-]+$/.test(spec.durable)) {
    throw new RangeError(`durable name "${spec.durable}" may hold only letters, digits, "_" and "-"`);
  }
  if (spec.subjects.length === 0) throw new RangeError(`durable "${spec.durable}" needs at least one subject`);
  for (const subject of spec.subjects) assertValidSubject(subject, { wildcards: true });
  const maxDeliver = spec.maxDeliver ?? DEFAULT_MAX_DELIVER;
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1) throw new RangeError('maxDeliver must be a positive integer');
  const backoffMs = spec.backoffMs && spec.backoffMs.length > 0 ? spec.backoffMs : DEFAULT_BACKOFF_MS;
  if (backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) throw new RangeError('backoffMs must hold delays ≥ 0');
  const ackWaitMs = spec.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  if (!(ackWaitMs > 0)) throw new RangeError('ackWaitMs must be positive');
  const deadLetterSubject = spec.deadLetterSubject ?? `${deadLetterPrefix}.${spec.durable}`;
  assertValidSubject(deadLetterSubject, { wildcards: false });
  return { maxDeliver, backoffMs, deadLetterSubject, ackWaitMs };
}

/** Delay before the redelivery that follows failed attempt `attempt` (1-based); the last value repeats. */
export function backoffDelay(policy: DeliveryPolicy, attempt: number): number {
  const index = Math.min(Math.max(attempt - 1, 0), policy.backoffMs.length - 1);
  return policy.backoffMs[index] ?? 0;
}

/** Why a message was dead-lettered, for the `X-Dead-Letter-Reason` header. */
export function failureReason(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Header values may not hold line breaks.
  return text.replace(/[\r\n]+/g, ' ').slice(0, 1000);
}
