import { systemClock } from '@sms/kernel';
import type { Clock } from '@sms/kernel';
import { DEAD_LETTER_HEADERS, PermanentHandlerError } from './bus.port.js';
import type {
  Bus,
  DeliveredMessage,
  MessageHandler,
  PublishAck,
  PublishOptions,
  Subscription,
  SubscriptionSpec,
} from './bus.port.js';
import { BusUnavailableError } from './bus.errors.js';
import { silentLogger } from './bus-logger.js';
import type { BusLogger } from './bus-logger.js';
import { tracedHandle, tracedPublish } from './bus-tracing.js';
import { backoffDelay, DEFAULT_DEAD_LETTER_PREFIX, deliveryPolicyFor, failureReason } from './delivery-policy.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { assertValidSubject, subjectMatches } from './subjects.js';

export interface InProcessBusOptions {
  /** Drives the deduplication window. Redelivery delays and ack wait use real timers. */
  readonly clock?: Clock;
  readonly logger?: BusLogger;
  /** Window in which a repeated `msgId` is acknowledged as a duplicate. Default 2 min. */
  readonly duplicateWindowMs?: number;
  /** A subscription's default dead-letter subject is `<deadLetterPrefix>.<durable>`. Default `dlq`. */
  readonly deadLetterPrefix?: string;
  /** Handlers running at once per subscription. Default 16. */
  readonly concurrency?: number;
  /** Messages kept for durables created after they were published (like a stream's history). Default 10 000. */
  readonly retainMessages?: number;
}

const SYSTEM = 'in-process';

/**
 * The bus of embedded mode: JetStream's semantics in memory, for one process. Messages are kept in memory only
 * (nothing survives a restart; the outbox is the durable record). See the package README for the details.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): Bus {
  return new InProcessBus(options);
}

interface StoredMessage {
  readonly sequence: number;
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly msgId: string;
}

/** A message waiting in a durable consumer, with the deliveries made so far. */
interface Pending {
  readonly message: StoredMessage;
  attempts: number;
}

class InProcessBus implements Bus {
  private readonly clock: Clock;
  private readonly logger: BusLogger;
  private readonly duplicateWindowMs: number;
  private readonly deadLetterPrefix: string;
  private readonly concurrency: number;
  private readonly retainMessages: number;
  private readonly dedup = new Map<string, { readonly sequence: number; readonly expiresAt: number }>();
  private readonly retained: StoredMessage[] = [];
  private readonly consumers = new Map<string, DurableConsumer>();
  private sequence = 0;
  private fanOutCount = 0;
  private closed = false;

  constructor(options: InProcessBusOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.duplicateWindowMs = options.duplicateWindowMs ?? 2 * 60_000;
    this.deadLetterPrefix = options.deadLetterPrefix ?? DEFAULT_DEAD_LETTER_PREFIX;
    this.concurrency = options.concurrency ?? 16;
    this.retainMessages = options.retainMessages ?? 10_000;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError('concurrency must be a positive integer');
    }
  }

  async publish(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishAck> {
    assertValidSubject(subject, { wildcards: false });
    if (!options.msgId) throw new RangeError('publish needs a msgId');
    if (this.closed) throw new BusUnavailableError('the in-process bus is closed');
    return this.store(subject, payload, options);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a bad spec rejects rather than throws
  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    if (this.closed) throw new BusUnavailableError('the in-process bus is closed');
    const policy = deliveryPolicyFor(spec, this.deadLetterPrefix);
    if (spec.fanOut === true) {
      // A consumer of its own, starting now, gone with the subscription.
      const key = `${spec.durable}~fan-out~${++this.fanOutCount}`;
      const own = new DurableConsumer(this, spec.durable, [...spec.subjects], policy);
      this.consumers.set(key, own);
      const subscription = new InProcessSubscription(own, handler, this.concurrency, () => {
        this.consumers.delete(key);
        return own.close();
      });
      own.attach(subscription);
      return subscription;
    }
    let consumer = this.consumers.get(spec.durable);
    if (!consumer) {
      consumer = new DurableConsumer(this, spec.durable, [...spec.subjects], policy);
      for (const message of this.retained) consumer.offer(message);
      this.consumers.set(spec.durable, consumer);
    } else {
      consumer.reconfigure([...spec.subjects], policy);
    }
    const subscription = new InProcessSubscription(consumer, handler, this.concurrency);
    consumer.attach(subscription);
    return subscription;
  }

  ping(): Promise<void> {
    return this.closed ? Promise.reject(new BusUnavailableError('the in-process bus is closed')) : Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.close()));
  }

  /** @internal Stores and fans out a message; also used for dead-letter copies while the bus closes. */
  store(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishAck> {
    return tracedPublish<PublishAck>(SYSTEM, subject, options.msgId, options.headers, (headers) => {
      const now = this.clock.now().getTime();
      this.forgetExpiredIds(now);
      const seen = this.dedup.get(options.msgId);
      if (seen) return Promise.resolve({ duplicate: true, sequence: seen.sequence });

      const message: StoredMessage = {
        sequence: ++this.sequence,
        subject,
        payload: payload.slice(),
        headers,
        msgId: options.msgId,
      };
      this.dedup.set(options.msgId, { sequence: message.sequence, expiresAt: now + this.duplicateWindowMs });
      this.retained.push(message);
      if (this.retained.length > this.retainMessages) this.retained.shift();
      for (const consumer of this.consumers.values()) consumer.offer(message);
      return Promise.resolve({ duplicate: false, sequence: message.sequence });
    });
  }

  /** @internal */
  get log(): BusLogger {
    return this.logger;
  }

  private forgetExpiredIds(now: number): void {
    // Entries are inserted in time order, so the expired ones are at the front.
    for (const [id, entry] of this.dedup) {
      if (entry.expiresAt > now) break;
      this.dedup.delete(id);
    }
  }
}

/**
 * A durable consumer: the messages matching its subjects, shared by its subscriptions (queue semantics). One
 * subject's messages are handled one at a time, in order; a failed one is redelivered after its backoff.
 */
class DurableConsumer {
  private readonly ready: Pending[] = [];
  private readonly busySubjects = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly subscriptions: InProcessSubscription[] = [];
  private nextSubscription = 0;
  private pumpScheduled = false;
  private closed = false;

  constructor(
    private readonly bus: InProcessBus,
    readonly durable: string,
    private subjects: string[],
    private policy: DeliveryPolicy,
  ) {}

  reconfigure(subjects: string[], policy: DeliveryPolicy): void {
    const same = subjects.length === this.subjects.length && subjects.every((s, i) => s === this.subjects[i]);
    if (!same) {
      throw new RangeError(
        `durable "${this.durable}" already exists with subjects ${this.subjects.join(', ')}; use another durable name`,
      );
    }
    this.policy = policy;
  }

  offer(message: StoredMessage): void {
    if (this.closed || !this.subjects.some((pattern) => subjectMatches(pattern, message.subject))) return;
    this.ready.push({ message, attempts: 0 });
    this.schedulePump();
  }

  attach(subscription: InProcessSubscription): void {
    this.subscriptions.push(subscription);
    this.schedulePump();
  }

  detach(subscription: InProcessSubscription): void {
    const index = this.subscriptions.indexOf(subscription);
    if (index >= 0) this.subscriptions.splice(index, 1);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  // Deliveries start on a later tick, never inside the publisher's call.
  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    let index = 0;
    while (index < this.ready.length && !this.closed) {
      const pending = this.ready[index];
      if (!pending) break;
      if (this.busySubjects.has(pending.message.subject)) {
        index++;
        continue;
      }
      const subscription = this.pickSubscription();
      if (!subscription) return;
      this.ready.splice(index, 1);
      this.deliver(subscription, pending);
    }
  }

  private pickSubscription(): InProcessSubscription | undefined {
    for (let i = 0; i < this.subscriptions.length; i++) {
      const candidate = this.subscriptions[(this.nextSubscription + i) % this.subscriptions.length];
      if (candidate?.hasCapacity()) {
        this.nextSubscription = (this.nextSubscription + i + 1) % this.subscriptions.length;
        return candidate;
      }
    }
    return undefined;
  }

  private deliver(subscription: InProcessSubscription, pending: Pending): void {
    pending.attempts++;
    const { message } = pending;
    const delivered: DeliveredMessage = {
      subject: message.subject,
      payload: message.payload.slice(),
      headers: { ...message.headers },
      msgId: message.msgId,
      deliveryAttempt: pending.attempts,
    };
    this.busySubjects.add(message.subject);
    const policy = this.policy;
    let settled = false;
    const release = subscription.begin();
    const finish = (): void => {
      settled = true;
      clearTimeout(ackWait);
      this.busySubjects.delete(message.subject);
      release();
      this.schedulePump();
    };
    // Like JetStream's ack wait: a handler that neither resolves nor throws in time loses the message, which is
    // delivered again; its late outcome is ignored.
    const ackWait = setTimeout(() => {
      if (settled) return;
      finish();
      this.requeue(pending, 0);
    }, policy.ackWaitMs);

    this.settle(subscription, delivered, pending, policy, () => settled, finish).catch((error: unknown) => {
      this.bus.log.error(
        { subject: message.subject, msgId: message.msgId, durable: this.durable, error: failureReason(error) },
        'in-process delivery failed',
      );
    });
  }

  /** Runs the handler and acts on its outcome: nothing on success, a delayed redelivery, or the dead-letter subject. */
  private async settle(
    subscription: InProcessSubscription,
    delivered: DeliveredMessage,
    pending: Pending,
    policy: DeliveryPolicy,
    isSettled: () => boolean,
    finish: () => void,
  ): Promise<void> {
    const sequence = pending.message.sequence;
    if (pending.attempts > policy.maxDeliver) {
      // Only reachable when the last attempt ran out of ack wait.
      finish();
      await this.deadLetter(delivered, policy, sequence, `ack wait exceeded after ${policy.maxDeliver} attempts`);
      return;
    }
    let failure: { error: unknown } | undefined;
    try {
      await tracedHandle(SYSTEM, this.durable, delivered, () => subscription.handler(delivered));
    } catch (error) {
      failure = { error };
    }
    if (isSettled()) return; // ack wait ran out first: the message was already put back
    finish();
    if (!failure) return;
    if (failure.error instanceof PermanentHandlerError || pending.attempts >= policy.maxDeliver) {
      await this.deadLetter(delivered, policy, sequence, failureReason(failure.error));
    } else {
      this.requeue(pending, backoffDelay(policy, pending.attempts));
    }
  }

  private requeue(pending: Pending, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      // Back in sequence order, ahead of later messages of its subject.
      const at = this.ready.findIndex((p) => p.message.sequence > pending.message.sequence);
      this.ready.splice(at === -1 ? this.ready.length : at, 0, pending);
      this.schedulePump();
    }, delayMs);
    this.timers.add(timer);
  }

  private async deadLetter(
    message: DeliveredMessage,
    policy: DeliveryPolicy,
    sequence: number,
    reason: string,
  ): Promise<void> {
    await this.bus.store(policy.deadLetterSubject, message.payload, {
      msgId: `${message.msgId}:${policy.deadLetterSubject}:${sequence}`,
      headers: {
        ...message.headers,
        [DEAD_LETTER_HEADERS.originalSubject]: message.subject,
        [DEAD_LETTER_HEADERS.originalMsgId]: message.msgId,
        [DEAD_LETTER_HEADERS.reason]: reason,
        [DEAD_LETTER_HEADERS.attempts]: String(message.deliveryAttempt),
      },
    });
    this.bus.log.warn(
      {
        subject: message.subject,
        msgId: message.msgId,
        durable: this.durable,
        attempts: message.deliveryAttempt,
        reason,
      },
      'message dead-lettered',
    );
  }
}

class InProcessSubscription implements Subscription {
  private inFlight = 0;
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly consumer: DurableConsumer,
    readonly handler: MessageHandler,
    private readonly concurrency: number,
    /** Run once stopped and idle (a fan-out subscription removes its own consumer). */
    private onStopped?: () => Promise<void>,
  ) {}

  hasCapacity(): boolean {
    return !this.stopped && this.inFlight < this.concurrency;
  }

  /** Counts a delivery as in flight; the returned function ends it. */
  begin(): () => void {
    this.inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.consumer.detach(this);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const onStopped = this.onStopped;
    this.onStopped = undefined;
    await onStopped?.();
  }
}
