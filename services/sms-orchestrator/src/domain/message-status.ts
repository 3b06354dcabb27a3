/**
 * Where a message is in its life. `accepted` → `routed` → `submitted` → one final status.
 * `dead_lettered` is the pipeline giving up after transient failures (a dependency stayed down);
 * it is kept apart from `failed`, which is the operator's verdict, so the two are never confused
 * in metrics or queries. The public API shows it as `failed` with error code
 * `ORCH.RETRIES_EXHAUSTED` (see {@link publicStatusOf}).
 */
export const MESSAGE_STATUSES = [
  'accepted',
  'routed',
  'submitted',
  'delivered',
  'undelivered',
  'expired',
  'failed',
  'rejected',
  'dead_lettered',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The statuses the submit API documents; `dead_lettered` is shown as `failed`. */
export type PublicMessageStatus = Exclude<MessageStatus, 'dead_lettered'>;

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'expired',
  'failed',
  'rejected',
  'dead_lettered',
]);

/** Statuses the SMPP gateway reports; the others are decided by the orchestrator itself. */
export type DeliveryStatus = 'submitted' | 'delivered' | 'undelivered' | 'expired' | 'failed';

const TRANSITIONS: Readonly<Record<MessageStatus, readonly MessageStatus[]>> = {
  accepted: ['routed', 'rejected', 'expired', 'dead_lettered'],
  // A final receipt may overtake the submit response, so routed may jump straight to a final status.
  routed: ['submitted', 'delivered', 'undelivered', 'expired', 'failed'],
  submitted: ['delivered', 'undelivered', 'expired', 'failed'],
  delivered: [],
  undelivered: [],
  expired: [],
  failed: [],
  rejected: [],
  dead_lettered: [],
};

/** True when the state machine allows `from` → `to` (never for a status to itself). */
export const canTransition = (from: MessageStatus, to: MessageStatus): boolean => TRANSITIONS[from].includes(to);

export const isFinal = (status: MessageStatus): boolean => FINAL_STATUSES.has(status);

export const publicStatusOf = (status: MessageStatus): PublicMessageStatus => (status === 'dead_lettered' ? 'failed' : status);
