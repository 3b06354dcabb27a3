import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusUnavailableError, DEAD_LETTER_HEADERS, PermanentHandlerError } from '@sms/bus';
import type { Bus, DeliveredMessage, MessageHandler, Subscription } from '@sms/bus';
import { activeTraceIds, initTracing, SpanKind, withSpan } from '@sms/tracing';
import type { InMemorySpanExporter, TracingHandle } from '@sms/tracing';

export interface BusUnderTest {
  readonly bus: Bus;
  /** A subject prefix no other test uses; every subject the suite publishes starts with it. */
  readonly subjectPrefix: string;
  /** The bus's dead-letter prefix: a subscription's default dead-letter subject is `<deadLetterPrefix>.<durable>`. */
  readonly deadLetterPrefix: string;
  cleanup(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (payload: Uint8Array): string => decoder.decode(payload);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Long enough for a delivery that is going to happen to have happened, on both adapters. */
const QUIET_MS = 400;
const WAIT = { timeout: 10_000, interval: 20 };
/** Fast retries so the suite takes seconds. */
const FAST = { backoffMs: [50], ackWaitMs: 5000 } as const;

/**
 * The behaviour every {@link Bus} adapter must show. Each test gets a fresh bus from `factory` (unique subjects and
 * streams) and cleans it up.
 */
export function describeBusContract(name: string, factory: () => Promise<BusUnderTest>): void {
  describe(`Bus contract: ${name}`, () => {
    let tracing: TracingHandle;
    let spans: InMemorySpanExporter;
    let ctx: BusUnderTest;
    let subscriptions: Subscription[];

    beforeAll(() => {
      tracing = initTracing({ service: 'bus-contract', exporter: 'memory' });
      if (!tracing.memoryExporter) throw new Error('tracing was already set up without the memory exporter');
      spans = tracing.memoryExporter;
    });
    afterAll(() => tracing.shutdown());

    beforeEach(async () => {
      ctx = await factory();
      subscriptions = [];
    });
    afterEach(async () => {
      await Promise.all(subscriptions.map((s) => s.stop()));
      await ctx.cleanup();
    });

    const subject = (suffix: string): string => `${ctx.subjectPrefix}.${suffix}`;
    const subscribe = async (
      spec: Parameters<Bus['subscribe']>[0],
      handler: MessageHandler,
    ): Promise<Subscription> => {
      const subscription = await ctx.bus.subscribe(spec, handler);
      subscriptions.push(subscription);
      return subscription;
    };
    const recorder = (into: DeliveredMessage[]): MessageHandler => (message) => {
      into.push(message);
      return Promise.resolve();
    };

    it('delivers a published message to a subscriber', async () => {
      const received: DeliveredMessage[] = [];
      await subscribe({ durable: 'worker', subjects: [subject('orders.created')] }, recorder(received));

      await ctx.bus.publish(subject('orders.created'), bytes('{"id":1}'), { msgId: 'm-1' });

      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
      expect(received[0]).toMatchObject({ subject: subject('orders.created'), msgId: 'm-1', deliveryAttempt: 1 });
      expect(text(received[0]?.payload ?? new Uint8Array())).toBe('{"id":1}');
    });

    it('passes the publisher headers to the handler', async () => {
      const received: DeliveredMessage[] = [];
      await subscribe({ durable: 'worker', subjects: [subject('orders.created')] }, recorder(received));

      await ctx.bus.publish(subject('orders.created'), bytes('x'), {
        msgId: 'm-1',
        headers: { 'X-Tenant-Id': 'tenant-7', 'x-correlation-id': 'corr-1' },
      });

      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
      expect(received[0]?.headers).toMatchObject({ 'X-Tenant-Id': 'tenant-7', 'x-correlation-id': 'corr-1' });
    });

    it('acknowledges a second publish with the same msgId as a duplicate and delivers the message once', async () => {
      const received: DeliveredMessage[] = [];
      await subscribe({ durable: 'worker', subjects: [subject('orders.created')] }, recorder(received));

      const first = await ctx.bus.publish(subject('orders.created'), bytes('a'), { msgId: 'same' });
      const second = await ctx.bus.publish(subject('orders.created'), bytes('a'), { msgId: 'same' });
      await ctx.bus.publish(subject('orders.created'), bytes('marker'), { msgId: 'marker' });

      await vi.waitFor(() => expect(received.map((m) => m.msgId)).toContain('marker'), WAIT);
      expect(first.duplicate).toBe(false);
      expect(second).toEqual({ duplicate: true, sequence: first.sequence });
      expect(received.map((m) => m.msgId)).toEqual(['same', 'marker']);
    });

    it('gives each message to one subscriber only when two share a durable', async () => {
      const received: string[] = [];
      const handler: MessageHandler = async (m) => {
        received.push(m.msgId);
        await sleep(5);
      };
      await subscribe({ durable: 'shared', subjects: [subject('jobs.>')] }, handler);
      await subscribe({ durable: 'shared', subjects: [subject('jobs.>')] }, handler);

      const ids = Array.from({ length: 20 }, (_, i) => `job-${i}`);
      for (const id of ids) await ctx.bus.publish(subject(`jobs.${id}`), bytes(id), { msgId: id });

      await vi.waitFor(() => expect(received).toHaveLength(20), WAIT);
      await sleep(QUIET_MS);
      expect([...received].sort()).toEqual([...ids].sort());
    });

    it('gives every message to each fan-out subscription, from the moment it subscribed', async () => {
      await ctx.bus.publish(subject('policy.changed'), bytes('old'), { msgId: 'before-any' });
      const first: DeliveredMessage[] = [];
      const second: DeliveredMessage[] = [];
      await subscribe({ durable: 'policy', subjects: [subject('policy.>')], fanOut: true }, recorder(first));
      await subscribe({ durable: 'policy', subjects: [subject('policy.>')], fanOut: true }, recorder(second));

      for (const id of ['p-1', 'p-2', 'p-3']) await ctx.bus.publish(subject('policy.changed'), bytes(id), { msgId: id });

      await vi.waitFor(() => expect(first.map((m) => m.msgId)).toEqual(['p-1', 'p-2', 'p-3']), WAIT);
      await vi.waitFor(() => expect(second.map((m) => m.msgId)).toEqual(['p-1', 'p-2', 'p-3']), WAIT);
      await sleep(QUIET_MS);
      expect(first).toHaveLength(3);
      expect(second).toHaveLength(3);
    });

    it('redelivers a failed message to the fan-out subscription that failed it', async () => {
      const attempts: number[] = [];
      await subscribe({ durable: 'policy', subjects: [subject('policy.>')], fanOut: true, ...FAST }, (m) => {
        attempts.push(m.deliveryAttempt);
        return m.deliveryAttempt < 2 ? Promise.reject(new Error('not yet')) : Promise.resolve();
      });

      await ctx.bus.publish(subject('policy.changed'), bytes('x'), { msgId: 'retry-me' });

      await vi.waitFor(() => expect(attempts).toEqual([1, 2]), WAIT);
    });

    it('keeps nothing for a stopped fan-out subscription: a new one starts with new messages', async () => {
      const received: DeliveredMessage[] = [];
      const first = await subscribe({ durable: 'policy', subjects: [subject('policy.>')], fanOut: true }, recorder(received));
      await ctx.bus.publish(subject('policy.changed'), bytes('1'), { msgId: 'seen' });
      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
      await first.stop();

      await ctx.bus.publish(subject('policy.changed'), bytes('2'), { msgId: 'while-stopped' });
      await subscribe({ durable: 'policy', subjects: [subject('policy.>')], fanOut: true }, recorder(received));
      await ctx.bus.publish(subject('policy.changed'), bytes('3'), { msgId: 'after' });

      await vi.waitFor(() => expect(received.map((m) => m.msgId)).toEqual(['seen', 'after']), WAIT);
    });

    it('resumes a durable where it stopped, delivering what was published meanwhile', async () => {
      const received: DeliveredMessage[] = [];
      const first = await subscribe({ durable: 'worker', subjects: [subject('orders.*')] }, recorder(received));
      await ctx.bus.publish(subject('orders.created'), bytes('1'), { msgId: 'before' });
      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
      await first.stop();

      await ctx.bus.publish(subject('orders.created'), bytes('2'), { msgId: 'while-stopped' });
      await subscribe({ durable: 'worker', subjects: [subject('orders.*')] }, recorder(received));

      await vi.waitFor(() => expect(received.map((m) => m.msgId)).toEqual(['before', 'while-stopped']), WAIT);
    });

    it('redelivers a failed message with an increasing delivery attempt until the handler succeeds', async () => {
      const attempts: number[] = [];
      await subscribe({ durable: 'worker', subjects: [subject('orders.created')], ...FAST }, (m) => {
        attempts.push(m.deliveryAttempt);
        return m.deliveryAttempt < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve();
      });

      await ctx.bus.publish(subject('orders.created'), bytes('x'), { msgId: 'm-1' });

      await vi.waitFor(() => expect(attempts).toEqual([1, 2, 3]), WAIT);
      await sleep(QUIET_MS);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('waits the backoff delay of the attempt before redelivering', async () => {
      const seenAt: number[] = [];
      await subscribe(
        { durable: 'worker', subjects: [subject('orders.created')], backoffMs: [400], ackWaitMs: 5000 },
        (m) => {
          seenAt.push(Date.now());
          return m.deliveryAttempt === 1 ? Promise.reject(new Error('once')) : Promise.resolve();
        },
      );

      await ctx.bus.publish(subject('orders.created'), bytes('x'), { msgId: 'm-1' });

      await vi.waitFor(() => expect(seenAt).toHaveLength(2), WAIT);
      const [first = 0, second = 0] = seenAt;
      expect(second - first).toBeGreaterThanOrEqual(350);
    });

    it('delivers a message again when its handler outlives the ack wait', async () => {
      const attempts: number[] = [];
      await subscribe(
        { durable: 'worker', subjects: [subject('orders.created')], backoffMs: [50], ackWaitMs: 500 },
        async (m) => {
          attempts.push(m.deliveryAttempt);
          if (m.deliveryAttempt === 1) await sleep(1200);
        },
      );

      await ctx.bus.publish(subject('orders.created'), bytes('x'), { msgId: 'slow' });

      await vi.waitFor(() => expect(attempts).toEqual([1, 2]), WAIT);
    });

    it('dead-letters a message after maxDeliver failed attempts, with the reason in headers', async () => {
      const attempts: number[] = [];
      const dead: DeliveredMessage[] = [];
      await subscribe({ durable: 'dlq-reader', subjects: [`${ctx.deadLetterPrefix}.>`] }, recorder(dead));
      await subscribe({ durable: 'failing', subjects: [subject('orders.created')], maxDeliver: 3, ...FAST }, (m) => {
        attempts.push(m.deliveryAttempt);
        return Promise.reject(new Error('database down'));
      });

      await ctx.bus.publish(subject('orders.created'), bytes('{"id":9}'), {
        msgId: 'doomed',
        headers: { 'X-Tenant-Id': 'tenant-7' },
      });

      await vi.waitFor(() => expect(dead).toHaveLength(1), WAIT);
      expect(attempts).toEqual([1, 2, 3]);
      const [copy] = dead;
      expect(copy?.subject).toBe(`${ctx.deadLetterPrefix}.failing`);
      expect(text(copy?.payload ?? new Uint8Array())).toBe('{"id":9}');
      expect(copy?.headers).toMatchObject({
        [DEAD_LETTER_HEADERS.originalSubject]: subject('orders.created'),
        [DEAD_LETTER_HEADERS.originalMsgId]: 'doomed',
        [DEAD_LETTER_HEADERS.reason]: 'Error: database down',
        [DEAD_LETTER_HEADERS.attempts]: '3',
        'X-Tenant-Id': 'tenant-7',
      });
    });

    it('does not deliver a dead-lettered message to its consumer again', async () => {
      const attempts: number[] = [];
      const dead: DeliveredMessage[] = [];
      await subscribe({ durable: 'dlq-reader', subjects: [`${ctx.deadLetterPrefix}.>`] }, recorder(dead));
      await subscribe({ durable: 'failing', subjects: [subject('orders.created')], maxDeliver: 2, ...FAST }, (m) => {
        attempts.push(m.deliveryAttempt);
        return Promise.reject(new Error('always'));
      });

      await ctx.bus.publish(subject('orders.created'), bytes('x'), { msgId: 'doomed' });
      await vi.waitFor(() => expect(dead).toHaveLength(1), WAIT);
      await sleep(QUIET_MS);

      expect(attempts).toEqual([1, 2]);
    });

    it('dead-letters at once when the handler throws PermanentHandlerError', async () => {
      const attempts: number[] = [];
      const dead: DeliveredMessage[] = [];
      const deadLetterSubject = subject('dead.orders');
      await subscribe({ durable: 'dlq-reader', subjects: [deadLetterSubject] }, recorder(dead));
      await subscribe(
        { durable: 'strict', subjects: [subject('orders.created')], maxDeliver: 5, deadLetterSubject, ...FAST },
        (m) => {
          attempts.push(m.deliveryAttempt);
          return Promise.reject(new PermanentHandlerError('malformed payload'));
        },
      );

      await ctx.bus.publish(subject('orders.created'), bytes('not json'), { msgId: 'bad' });

      await vi.waitFor(() => expect(dead).toHaveLength(1), WAIT);
      await sleep(QUIET_MS);
      expect(attempts).toEqual([1]);
      expect(dead[0]?.headers).toMatchObject({
        [DEAD_LETTER_HEADERS.reason]: 'PermanentHandlerError: malformed payload',
        [DEAD_LETTER_HEADERS.attempts]: '1',
      });
    });

    it('hands one subject’s messages to the handler in publish order', async () => {
      const order: string[] = [];
      await subscribe({ durable: 'ordered', subjects: [subject('account.42')] }, async (m) => {
        // Uneven handler times would reorder the messages if they ran concurrently.
        await sleep(Number(text(m.payload)) % 3 === 0 ? 15 : 1);
        order.push(text(m.payload));
      });

      const published = Array.from({ length: 30 }, (_, i) => String(i));
      for (const n of published) await ctx.bus.publish(subject('account.42'), bytes(n), { msgId: `n-${n}` });

      await vi.waitFor(() => expect(order).toHaveLength(30), WAIT);
      expect(order).toEqual(published);
    });

    it('delivers every subject a wildcard subscription matches and nothing else', async () => {
      const received: DeliveredMessage[] = [];
      await subscribe(
        { durable: 'wild', subjects: [subject('orders.*'), subject('audit.>')] },
        recorder(received),
      );

      for (const suffix of ['orders.created', 'orders.eu.created', 'audit.numbers.leased', 'other.created']) {
        await ctx.bus.publish(subject(suffix), bytes(suffix), { msgId: suffix });
      }

      await vi.waitFor(() => expect(received).toHaveLength(2), WAIT);
      await sleep(QUIET_MS);
      const subjects = received.map((m) => m.subject).sort();
      expect(subjects).toEqual([subject('audit.numbers.leased'), subject('orders.created')]);
    });

    it('delivers nothing more to a subscription after stop()', async () => {
      const received: DeliveredMessage[] = [];
      const subscription = await subscribe({ durable: 'worker', subjects: [subject('orders.*')] }, recorder(received));
      await ctx.bus.publish(subject('orders.created'), bytes('1'), { msgId: 'before-stop' });
      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);

      await subscription.stop();
      await ctx.bus.publish(subject('orders.created'), bytes('2'), { msgId: 'after-stop' });
      await sleep(QUIET_MS);

      expect(received.map((m) => m.msgId)).toEqual(['before-stop']);
    });

    it('lets in-flight handlers finish before stop() resolves', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const events: string[] = [];
      const subscription = await subscribe({ durable: 'worker', subjects: [subject('orders.*')] }, async () => {
        events.push('handler started');
        await gate;
        events.push('handler finished');
      });
      await ctx.bus.publish(subject('orders.created'), bytes('1'), { msgId: 'slow' });
      await vi.waitFor(() => expect(events).toEqual(['handler started']), WAIT);

      const stopping = subscription.stop().then(() => events.push('stopped'));
      await sleep(100);
      release();
      await stopping;

      expect(events).toEqual(['handler started', 'handler finished', 'stopped']);
    });

    it('carries the trace context from publisher to handler, the handler span under the publish', async () => {
      const seen: Array<ReturnType<typeof activeTraceIds>> = [];
      await subscribe({ durable: 'traced', subjects: [subject('orders.created')] }, () => {
        seen.push(activeTraceIds());
        return Promise.resolve();
      });
      spans.reset();

      const requestTrace = await withSpan('http request', async () => {
        await ctx.bus.publish(subject('orders.created'), bytes('x'), { msgId: 'traced' });
        return activeTraceIds()?.traceId;
      });

      await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT);
      await vi.waitFor(
        () => expect(spans.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER)).toBe(true),
        WAIT,
      );
      const finished = spans.getFinishedSpans();
      const producer = finished.find((s) => s.kind === SpanKind.PRODUCER && s.name.includes('orders.created'));
      const consumer = finished.find((s) => s.kind === SpanKind.CONSUMER && s.name.includes('orders.created'));
      expect(requestTrace).toMatch(/^[0-9a-f]{32}$/);
      expect(seen[0]?.traceId).toBe(requestTrace);
      expect(consumer?.spanContext().traceId).toBe(requestTrace);
      expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    });

    it('answers ping while open, and refuses ping and publish once closed', async () => {
      await expect(ctx.bus.ping()).resolves.toBeUndefined();

      await ctx.bus.close();

      await expect(ctx.bus.ping()).rejects.toBeInstanceOf(BusUnavailableError);
      await expect(ctx.bus.publish(subject('orders.created'), bytes('x'), { msgId: 'late' })).rejects.toBeInstanceOf(
        BusUnavailableError,
      );
    });
  });
}
