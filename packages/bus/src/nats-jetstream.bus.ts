import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type {
  ConsumerConfig,
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  StreamConfig,
} from '@nats-io/jetstream';
import { connect, headers as natsHeaders, nanos } from '@nats-io/transport-node';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
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
import { HandlerPool } from './handler-pool.js';
import type { TaskLease } from './handler-pool.js';
import { assertValidSubject, subjectCovers } from './subjects.js';

export interface NatsStreamSpec {
  readonly name: string;
  readonly subjects: string[];
  /** How long messages are kept; unlimited when absent. */
  readonly maxAgeMs?: number;
  /** Window in which a repeated `msgId` is acknowledged as a duplicate. Default 2 min. */
  readonly duplicateWindowMs?: number;
}

export interface NatsBusOptions {
  readonly servers: string | string[];
  /** Streams created (or updated to this configuration) at connect. */
  readonly streams: ReadonlyArray<NatsStreamSpec>;
  readonly connectionName?: string;
  readonly logger?: BusLogger;
  /**
   * The dead-letter stream, created or updated at connect, capturing `<subjectPrefix>.>`; a subscription's default
   * dead-letter subject is `<subjectPrefix>.<durable>`. Defaults: stream `DLQ`, prefix `dlq`, kept 14 days.
   */
  readonly deadLetter?: { readonly stream?: string; readonly subjectPrefix?: string; readonly maxAgeMs?: number };
  /** Handlers running at once per subscription. Default 16. */
  readonly concurrency?: number;
  /** How long `publish` waits for the stream's acknowledgement before rejecting. Default 5 s. */
  readonly publishTimeoutMs?: number;
  /** How long `ping` and JetStream API calls wait. Default 5 s. */
  readonly requestTimeoutMs?: number;
  /** Pause between reconnection attempts; the client retries for ever. Default 1 s. */
  readonly reconnectTimeWaitMs?: number;
  /**
   * A first subject token added on the wire to every subject this bus uses (streams, publishes, consumer filters,
   * dead letters) and removed from delivered messages, so the services keep their own subject names. Lets several
   * platforms share one NATS server (tests, a shared development server) without their streams' subjects overlapping,
   * which JetStream refuses. Default: none.
   */
  readonly subjectNamespace?: string;
}

const SYSTEM = 'nats';
const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;
const DEFAULT_DEAD_LETTER_MAX_AGE_MS = 14 * 24 * 3600_000;
const RESUBSCRIBE_DELAY_MS = 1000;
/** A fan-out consumer nobody pulls from for this long is removed by the server. */
const FAN_OUT_INACTIVE_MS = 10 * 60_000;

/**
 * Connects to NATS, creates or updates the configured streams and the dead-letter stream, and returns a {@link Bus}
 * over JetStream. Rejects when the server cannot be reached at start; after that the client reconnects for ever.
 */
export async function connectNatsBus(options: NatsBusOptions): Promise<Bus> {
  const logger = options.logger ?? silentLogger;
  const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  const nc = await connect({
    servers: options.servers,
    ...(options.connectionName ? { name: options.connectionName } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
    timeout: requestTimeoutMs,
  });
  try {
    const jsm = await jetstreamManager(nc, { timeout: requestTimeoutMs });
    const deadLetterPrefix = options.deadLetter?.subjectPrefix ?? DEFAULT_DEAD_LETTER_PREFIX;
    assertValidSubject(deadLetterPrefix, { wildcards: false });
    const namespace = new SubjectNamespace(options.subjectNamespace);
    const streams: NatsStreamSpec[] = [
      ...options.streams,
      {
        name: options.deadLetter?.stream ?? 'DLQ',
        subjects: [`${deadLetterPrefix}.>`],
        maxAgeMs: options.deadLetter?.maxAgeMs ?? DEFAULT_DEAD_LETTER_MAX_AGE_MS,
      },
    ];
    for (const stream of streams) {
      await ensureStream(jsm, { ...stream, subjects: stream.subjects.map((subject) => namespace.wire(subject)) }).catch((error: unknown) => {
        throw new Error(`cannot set up stream "${stream.name}" (${stream.subjects.join(', ')}): ${messageOf(error)}`, {
          cause: error,
        });
      });
    }
    return new NatsJetStreamBus(nc, jsm, jetstream(nc, { timeout: requestTimeoutMs }), {
      logger,
      streams,
      deadLetterPrefix,
      namespace,
      concurrency: options.concurrency ?? 16,
      publishTimeoutMs: options.publishTimeoutMs ?? 5000,
      requestTimeoutMs,
    });
  } catch (error) {
    await nc.close();
    throw error;
  }
}

async function ensureStream(jsm: JetStreamManager, spec: NatsStreamSpec): Promise<void> {
  const config = {
    subjects: spec.subjects,
    max_age: nanos(spec.maxAgeMs ?? 0),
    duplicate_window: nanos(spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
  } satisfies Partial<StreamConfig>;
  try {
    await jsm.streams.info(spec.name);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add({
      name: spec.name,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: 1,
      ...config,
    });
    return;
  }
  await jsm.streams.update(spec.name, config);
}

/** Maps the services' subjects to the subjects on the wire and back (see {@link NatsBusOptions.subjectNamespace}). */
class SubjectNamespace {
  private readonly prefix: string;

  constructor(namespace: string | undefined) {
    if (namespace !== undefined && namespace !== '') {
      assertValidSubject(namespace, { wildcards: false });
      if (namespace.includes('.')) throw new RangeError(`subject namespace "${namespace}" must be a single token`);
    }
    this.prefix = namespace ? `${namespace}.` : '';
  }

  wire(subject: string): string {
    return `${this.prefix}${subject}`;
  }

  local(subject: string): string {
    return this.prefix !== '' && subject.startsWith(this.prefix) ? subject.slice(this.prefix.length) : subject;
  }
}

interface BusSettings {
  readonly logger: BusLogger;
  /** As the services name them (without the namespace). */
  readonly streams: readonly NatsStreamSpec[];
  readonly deadLetterPrefix: string;
  readonly namespace: SubjectNamespace;
  readonly concurrency: number;
  readonly publishTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

class NatsJetStreamBus implements Bus {
  private readonly subscriptions = new Set<NatsSubscription>();
  private connected = true;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly settings: BusSettings,
  ) {
    void this.watchConnection();
  }

  async publish(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishAck> {
    assertValidSubject(subject, { wildcards: false });
    if (!options.msgId) throw new RangeError('publish needs a msgId');
    if (this.closing || this.nc.isClosed()) throw new BusUnavailableError('the NATS bus is closed');
    return this.send(subject, payload, options);
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    if (this.closing) throw new BusUnavailableError('the NATS bus is closed');
    const policy = deliveryPolicyFor(spec, this.settings.deadLetterPrefix);
    const consumers = await this.ensureConsumers(spec, policy);
    const subscription = new NatsSubscription(this, spec.durable, policy, handler, [...consumers], this.settings);
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async ping(): Promise<void> {
    if (this.closing || this.nc.isClosed()) throw new BusUnavailableError('the NATS bus is closed');
    try {
      await this.nc.rtt();
      await withTimeout(this.jsm.getAccountInfo(), this.settings.requestTimeoutMs, 'JetStream did not answer');
    } catch (error) {
      throw new BusUnavailableError(`NATS JetStream is unreachable (${this.nc.getServer()}): ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      if (this.nc.isClosed()) return;
      // Drain flushes pending acks; it cannot finish while disconnected, so fall back to a plain close.
      await withTimeout(this.nc.drain(), this.settings.requestTimeoutMs, 'drain timed out').catch(() =>
        this.nc.close(),
      );
    })();
    return this.closing;
  }

  /** @internal */
  get jetStream(): JetStreamClient {
    return this.js;
  }

  /** @internal */
  forget(subscription: NatsSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /**
   * @internal Publishes the dead-letter copy of a message (throws when that fails, so the caller naks instead);
   * allowed while the bus closes, since closing waits for in-flight handlers.
   */
  async publishDeadLetter(
    message: DeliveredMessage,
    policy: DeliveryPolicy,
    streamSequence: number,
    reason: string,
  ): Promise<void> {
    await this.send(policy.deadLetterSubject, message.payload, {
      // Unique per stored original, so a retried dead-lettering of the same delivery is deduplicated.
      msgId: `${message.msgId}:${policy.deadLetterSubject}:${streamSequence}`,
      headers: {
        ...message.headers,
        [DEAD_LETTER_HEADERS.originalSubject]: message.subject,
        [DEAD_LETTER_HEADERS.originalMsgId]: message.msgId,
        [DEAD_LETTER_HEADERS.reason]: reason,
        [DEAD_LETTER_HEADERS.attempts]: String(message.deliveryAttempt),
      },
    });
  }

  private send(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishAck> {
    return tracedPublish(SYSTEM, subject, options.msgId, options.headers, async (withTrace) => {
      const hdrs = natsHeaders();
      for (const [name, value] of Object.entries(withTrace)) hdrs.set(name, value);
      try {
        const ack = await this.js.publish(this.settings.namespace.wire(subject), payload, {
          msgID: options.msgId,
          headers: hdrs,
          timeout: this.settings.publishTimeoutMs,
        });
        return { duplicate: ack.duplicate, sequence: ack.seq };
      } catch (error) {
        throw this.publishError(subject, error);
      }
    });
  }

  private publishError(subject: string, error: unknown): Error {
    const detail = messageOf(error);
    const unavailable = (why: string): BusUnavailableError =>
      new BusUnavailableError(`publish to "${subject}" failed: ${why}`, { cause: error });
    const timeoutMs = this.settings.publishTimeoutMs;
    if (this.nc.isClosed()) return unavailable('the NATS connection is closed');
    if (!this.connected) {
      return unavailable(`NATS is disconnected and did not come back within ${timeoutMs} ms (${detail})`);
    }
    if (/timeout/i.test(detail) || isNamed(error, 'TimeoutError')) {
      return unavailable(`no acknowledgement within ${timeoutMs} ms (${detail})`);
    }
    if (causes(error).some((cause) => /no responders/i.test(cause))) {
      return unavailable('no JetStream stream captures this subject, or JetStream is unavailable');
    }
    return error instanceof Error ? error : new Error(detail);
  }

  /**
   * One durable consumer per stream the subjects live in. Several subjects in one stream share one consumer
   * (`filter_subjects`) on NATS ≥ 2.10; older servers accept one filter per consumer, so each subject then gets its
   * own consumer named `<durable>-<hash of the subject>`.
   */
  private async ensureConsumers(spec: SubscriptionSpec, policy: DeliveryPolicy): Promise<ConsumerRef[]> {
    const byStream = new Map<string, string[]>();
    for (const subject of spec.subjects) {
      const stream = await this.streamFor(subject);
      byStream.set(stream, [...(byStream.get(stream) ?? []), subject]);
    }
    const refs: ConsumerRef[] = [];
    if (spec.fanOut === true) {
      for (const [stream, subjects] of byStream) {
        const groups = this.supportsMultipleFilters() ? [subjects] : subjects.map((subject) => [subject]);
        for (const group of groups) refs.push(await this.createFanOutConsumer(stream, group, policy));
      }
      return refs;
    }
    for (const [stream, subjects] of byStream) {
      if (subjects.length === 1 || this.supportsMultipleFilters()) {
        refs.push(await this.ensureConsumer(stream, spec.durable, subjects, policy));
      } else {
        for (const subject of subjects) {
          const name = `${spec.durable}-${createHash('sha256').update(subject).digest('hex').slice(0, 10)}`;
          refs.push(await this.ensureConsumer(stream, name, [subject], policy));
        }
      }
    }
    return refs;
  }

  private async ensureConsumer(
    stream: string,
    name: string,
    subjects: string[],
    policy: DeliveryPolicy,
  ): Promise<ConsumerRef> {
    const config: Partial<ConsumerConfig> = {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(policy.ackWaitMs),
      // The adapter counts attempts itself (and dead-letters); a server-side limit would strand a message whose
      // dead-lettering failed. No server `backoff` either: it would replace ack_wait, the handler's time budget,
      // whereas failures nak with an explicit delay.
      max_deliver: -1,
      ...(subjects.length === 1
        ? { filter_subject: this.settings.namespace.wire(subjects[0] ?? '') }
        : { filter_subjects: subjects.map((subject) => this.settings.namespace.wire(subject)) }),
    };
    try {
      await this.jsm.consumers.add(stream, config);
    } catch (error) {
      // An existing durable with another configuration: bring it to this one.
      if (!(error instanceof JetStreamApiError) || error.code === JetStreamApiCodes.StreamNotFound) throw error;
      const { durable_name: _name, ack_policy: _ack, deliver_policy: _deliver, ...changeable } = config;
      await this.jsm.consumers.update(stream, name, changeable);
    }
    return { stream, name };
  }

  /**
   * An ephemeral consumer of this subscription's own: it starts with the messages published from now on, and the
   * server removes it once nobody has pulled from it for {@link FAN_OUT_INACTIVE_MS} (a process that died), besides
   * the subscription deleting it when it stops.
   */
  async createFanOutConsumer(stream: string, subjects: string[], policy: DeliveryPolicy): Promise<ConsumerRef> {
    const info = await this.jsm.consumers.add(stream, {
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: nanos(policy.ackWaitMs),
      max_deliver: -1,
      inactive_threshold: nanos(FAN_OUT_INACTIVE_MS),
      ...(subjects.length === 1
        ? { filter_subject: this.settings.namespace.wire(subjects[0] ?? '') }
        : { filter_subjects: subjects.map((subject) => this.settings.namespace.wire(subject)) }),
    });
    return { stream, name: info.name, fanOut: { subjects } };
  }

  /** @internal Removes a fan-out subscription's consumer (best effort: the server removes it anyway when idle). */
  async deleteConsumer(ref: ConsumerRef): Promise<void> {
    if (this.nc.isClosed()) return;
    await withTimeout(this.jsm.consumers.delete(ref.stream, ref.name), this.settings.requestTimeoutMs, 'consumer delete').catch(
      () => undefined,
    );
  }

  private async streamFor(subject: string): Promise<string> {
    const configured = this.settings.streams.find((s) => s.subjects.some((own) => subjectCovers(own, subject)));
    if (configured) return configured.name;
    try {
      return await this.jsm.streams.find(this.settings.namespace.wire(subject));
    } catch (error) {
      throw new Error(`no JetStream stream captures subject "${subject}"`, { cause: error });
    }
  }

  private supportsMultipleFilters(): boolean {
    const [major = 0, minor = 0] = (this.nc.info?.version ?? '0.0.0').split('.').map((part) => Number.parseInt(part));
    return major > 2 || (major === 2 && minor >= 10);
  }

  private async watchConnection(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') {
        this.connected = false;
        this.settings.logger.warn({ server: status.server }, 'NATS disconnected');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        this.settings.logger.info({ server: status.server }, 'NATS reconnected');
      } else if (status.type === 'error') {
        this.settings.logger.error({ error: messageOf(status.error) }, 'NATS connection error');
      }
    }
  }
}

interface ConsumerRef {
  readonly stream: string;
  readonly name: string;
  /** Set for a fan-out subscription's own ephemeral consumer. */
  readonly fanOut?: { readonly subjects: string[] };
}

class NatsSubscription implements Subscription {
  private readonly pool: HandlerPool;
  private readonly active = new Set<ConsumerMessages>();
  private loops: Promise<void>[] = [];
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly bus: NatsJetStreamBus,
    private readonly durable: string,
    private readonly policy: DeliveryPolicy,
    private readonly handler: MessageHandler,
    private readonly consumers: ConsumerRef[],
    private readonly settings: BusSettings,
  ) {
    this.pool = new HandlerPool(settings.concurrency);
  }

  start(): void {
    this.loops = this.consumers.map((_, index) => this.consumeLoop(index));
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      await Promise.all([...this.active].map((messages) => messages.close().catch(() => undefined)));
      await Promise.all(this.loops);
      await this.pool.idle();
      await Promise.all(this.consumers.filter((ref) => ref.fanOut !== undefined).map((ref) => this.bus.deleteConsumer(ref)));
      this.bus.forget(this);
    })();
    return this.stopped;
  }

  /**
   * Pulls messages until stopped; if the pull ends for another reason (a deleted consumer), it starts again. A
   * fan-out consumer the server removed (after a long disconnection) is created anew.
   */
  private async consumeLoop(index: number): Promise<void> {
    while (!this.stopping) {
      let messages: ConsumerMessages | undefined;
      const ref = this.consumers[index];
      if (ref === undefined) return;
      try {
        const consumer = await this.bus.jetStream.consumers.get(ref.stream, ref.name).catch(async (error: unknown) => {
          if (ref.fanOut === undefined || !(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound) throw error;
          const recreated = await this.bus.createFanOutConsumer(ref.stream, ref.fanOut.subjects, this.policy);
          this.consumers[index] = recreated;
          return this.bus.jetStream.consumers.get(recreated.stream, recreated.name);
        });
        if (this.stopping) return;
        messages = await consumer.consume({ max_messages: this.settings.concurrency });
        this.active.add(messages);
        void this.watchStatus(ref, messages);
        for await (const msg of messages) {
          await this.pool.acquire();
          this.pool.run(msg.subject, this.policy.ackWaitMs, (lease) => this.handle(msg, lease));
        }
      } catch (error) {
        if (!this.stopping) {
          this.settings.logger.warn({ ...ref, error: messageOf(error) }, 'NATS consumer stopped; resubscribing');
        }
      } finally {
        if (messages) this.active.delete(messages);
      }
      if (!this.stopping) await sleep(RESUBSCRIBE_DELAY_MS);
    }
  }

  private async watchStatus(ref: ConsumerRef, messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      const worrying = ['heartbeats_missed', 'consumer_deleted', 'consumer_not_found'];
      if (worrying.includes(status.type)) {
        this.settings.logger.warn({ ...ref, status: status.type }, 'NATS consumer status');
      }
    }
  }

  private async handle(msg: JsMsg, lease: TaskLease): Promise<void> {
    const message = toDelivered(msg, this.settings.namespace);
    // The ack-wait clock started when the message reached this client; restart it now that the handler starts.
    msg.working();
    if (message.deliveryAttempt > this.policy.maxDeliver) {
      // Only reachable when the last attempt ran out of ack wait (a hung handler or a crashed process).
      await this.deadLetter(msg, message, `ack wait exceeded after ${this.policy.maxDeliver} attempts`);
      return;
    }
    let failure: { error: unknown } | undefined;
    try {
      await tracedHandle(SYSTEM, this.durable, message, () => this.handler(message));
    } catch (error) {
      failure = { error };
    }
    if (lease.expired) return; // too late: JetStream has redelivered the message already
    if (!failure) {
      msg.ack();
    } else if (failure.error instanceof PermanentHandlerError || message.deliveryAttempt >= this.policy.maxDeliver) {
      await this.deadLetter(msg, message, failureReason(failure.error));
    } else {
      msg.nak(backoffDelay(this.policy, message.deliveryAttempt));
    }
  }

  private async deadLetter(msg: JsMsg, message: DeliveredMessage, reason: string): Promise<void> {
    try {
      await this.bus.publishDeadLetter(message, this.policy, msg.seq, reason);
      msg.term();
      this.settings.logger.warn(
        {
          subject: message.subject,
          msgId: message.msgId,
          durable: this.durable,
          attempts: message.deliveryAttempt,
          reason,
        },
        'message dead-lettered',
      );
    } catch (error) {
      // Keep the message rather than lose it; it comes back after the backoff.
      this.settings.logger.error(
        { subject: message.subject, msgId: message.msgId, durable: this.durable, error: messageOf(error) },
        'dead-lettering failed; will retry',
      );
      msg.nak(backoffDelay(this.policy, message.deliveryAttempt));
    }
  }
}

function toDelivered(msg: JsMsg, namespace: SubjectNamespace): DeliveredMessage {
  return {
    subject: namespace.local(msg.subject),
    payload: msg.data,
    headers: userHeaders(msg.headers),
    msgId: msg.headers?.get('Nats-Msg-Id') ?? '',
    deliveryAttempt: msg.info.deliveryCount,
  };
}

/** The publisher's headers, without the ones NATS adds or reserves (`Nats-*`). */
function userHeaders(hdrs: MsgHdrs | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (!hdrs) return result;
  for (const name of hdrs.keys()) {
    if (!/^nats-/i.test(name)) result[name] = hdrs.get(name);
  }
  return result;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && (error.name === name || error.constructor.name === name);
}

/** The messages of an error and of its causes. */
function causes(error: unknown): string[] {
  const found: string[] = [];
  for (let current = error; current !== undefined && found.length < 10; ) {
    found.push(messageOf(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return found;
}
