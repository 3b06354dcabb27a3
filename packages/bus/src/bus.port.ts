/**
 * The message bus as the services see it. Two adapters implement it: NATS JetStream in
 * production and an in-process bus in embedded mode; one contract suite runs against both.
 *
 * Delivery is at-least-once: a handler may see a message again (after a crash, a nak or an
 * ack that did not arrive), so consumers record handled event ids in their inbox.
 */
export interface Bus {
  /**
   * Publishes one message and resolves once the bus has stored it. `msgId` is the deduplication
   * key (`Nats-Msg-Id`): a second publish with the same id inside the dedup window is acknowledged
   * with `duplicate: true` and is not delivered again.
   */
  publish(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishAck>;

  /**
   * Starts a durable consumer. The handler's outcome decides what happens to the message:
   * resolving acks it; throwing naks it with the next backoff delay; after `maxDeliver`
   * attempts, or at once for a {@link PermanentHandlerError}, the message goes to the
   * dead-letter subject (with the failure reason in headers) and is acked.
   */
  subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription>;

  /** Throws when the bus is unreachable; used by readiness checks. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export interface PublishOptions {
  /** Deduplication id; for events this is the event id. */
  readonly msgId: string;
  /** Extra headers (trace context is added by the adapter from the active context). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PublishAck {
  readonly duplicate: boolean;
  /** Position of the message in its stream (monotonic per stream). */
  readonly sequence: number;
}

export interface SubscriptionSpec {
  /** Durable consumer name; two subscriptions with one name share the work (queue semantics). */
  readonly durable: string;
  /** Subjects this consumer receives (NATS wildcards allowed: `*`, `>`). */
  readonly subjects: readonly string[];
  /** Attempts before dead-lettering. Default 5. */
  readonly maxDeliver?: number;
  /** Delay before each redelivery after a failure, in ms; the last value repeats. Default [1000, 5000, 30000]. */
  readonly backoffMs?: readonly number[];
  /**
   * Where a message goes after its last failed attempt. Default `<dead-letter prefix>.<durable>`, the prefix being
   * `dlq` unless the adapter was given another.
   */
  readonly deadLetterSubject?: string;
  /** How long a handler may run before the message is redelivered. Default 30 s. */
  readonly ackWaitMs?: number;
  /**
   * Every subscription (every replica) receives every message, instead of sharing them: for state each process
   * keeps in memory (an access policy, a local cache) that an event makes stale. The subscription gets a consumer
   * of its own (named after `durable`) that starts with the messages published after it subscribed and is removed
   * when the subscription stops (and by the server after a while if the process died). Default false.
   */
  readonly fanOut?: boolean;
}

export interface DeliveredMessage {
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  /** The publisher's `msgId`. */
  readonly msgId: string;
  /** 1 on first delivery, then 2, 3, … */
  readonly deliveryAttempt: number;
}

export type MessageHandler = (message: DeliveredMessage) => Promise<void>;

export interface Subscription {
  /**
   * Stops receiving; in-flight handlers finish first (a handler already past its ack wait is not waited for: its
   * message has been handed out again).
   */
  stop(): Promise<void>;
}

/** Thrown by a handler when retrying cannot help (a malformed message): the message is dead-lettered at once. */
export class PermanentHandlerError extends Error {
  override readonly name = 'PermanentHandlerError';
}

/**
 * Headers the dead-letter copy carries, besides the original message's own headers. The copy is published with a
 * new `msgId` (unique per failed message and dead-letter subject), so the original id travels in a header.
 */
export const DEAD_LETTER_HEADERS = {
  originalSubject: 'X-Original-Subject',
  /** The `msgId` the original was published with. */
  originalMsgId: 'X-Original-Msg-Id',
  /** The handler's error (`<name>: <message>`), or why delivery gave up. */
  reason: 'X-Dead-Letter-Reason',
  /** Deliveries made before dead-lettering, as a decimal string. */
  attempts: 'X-Delivery-Attempts',
} as const;
