import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsBus, DEAD_LETTER_HEADERS, PermanentHandlerError } from '@sms/bus';
import type { Bus, DeliveredMessage } from '@sms/bus';
import { deleteStreams, natsBusFixture, testServices, uniqueName } from '@sms/testing';
import { describeBusContract } from '../contract/bus.contract.js';

// The whole contract holds when every subject carries a namespace on the wire.
describeBusContract('NATS JetStream with a subject namespace', () => natsBusFixture('busns', { subjectNamespace: uniqueName('ns') }));

describe('connectNatsBus: subject namespace on the wire', () => {
  let nc: NatsConnection;
  const buses: Bus[] = [];
  const streams: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: testServices.natsUrl });
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await deleteStreams(streams.splice(0));
  });
  afterAll(() => nc.close());

  /** A bus whose stream captures `orders.>` — the same subjects for every namespace, as two platforms would have. */
  async function platformBus(namespace: string): Promise<Bus> {
    const stream = uniqueName('nsorders');
    streams.push(stream, `${stream}_DLQ`);
    const bus = await connectNatsBus({
      servers: testServices.natsUrl,
      streams: [{ name: stream, subjects: ['orders.>'] }],
      deadLetter: { stream: `${stream}_DLQ` },
      subjectNamespace: namespace,
    });
    buses.push(bus);
    return bus;
  }

  it('lets two buses with the same subjects share one server, each stream capturing only its namespace', async () => {
    const [first, second] = [uniqueName('nsa'), uniqueName('nsb')];
    await platformBus(first);
    await platformBus(second);

    const jsm = await jetstreamManager(nc);
    const [streamA, , streamB] = streams;
    expect((await jsm.streams.info(streamA ?? '')).config.subjects).toEqual([`${first}.orders.>`]);
    expect((await jsm.streams.info(streamB ?? '')).config.subjects).toEqual([`${second}.orders.>`]);
    expect((await jsm.streams.info(`${streamA ?? ''}_DLQ`)).config.subjects).toEqual([`${first}.dlq.>`]);
  });

  it('publishes under the namespace and delivers without it, to its own consumers only', async () => {
    const [first, second] = [uniqueName('nsa'), uniqueName('nsb')];
    const busA = await platformBus(first);
    const busB = await platformBus(second);
    const wire = nc.subscribe(`${first}.orders.>`, { max: 1 });
    const seenA: DeliveredMessage[] = [];
    const seenB: DeliveredMessage[] = [];
    await busA.subscribe({ durable: 'orders-a', subjects: ['orders.created'] }, (m) => Promise.resolve(void seenA.push(m)));
    await busB.subscribe({ durable: 'orders-b', subjects: ['orders.created'] }, (m) => Promise.resolve(void seenB.push(m)));

    await busA.publish('orders.created', new TextEncoder().encode('one'), { msgId: uniqueName('m') });

    for await (const raw of wire) expect(raw.subject).toBe(`${first}.orders.created`);
    await expect.poll(() => seenA.length).toBe(1);
    expect(seenA[0]?.subject).toBe('orders.created');
    expect(new TextDecoder().decode(seenA[0]?.payload)).toBe('one');
    // Give B's consumer time to (wrongly) receive it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seenB).toEqual([]);
  });

  it('dead-letters under the namespace, keeping the local subject in the header', async () => {
    const namespace = uniqueName('nsd');
    const bus = await platformBus(namespace);
    const wire = nc.subscribe(`${namespace}.dlq.>`, { max: 1 });
    await bus.subscribe({ durable: 'orders-dl', subjects: ['orders.bad'] }, () => Promise.reject(new PermanentHandlerError('malformed')));

    await bus.publish('orders.bad', new Uint8Array([1]), { msgId: uniqueName('m') });

    for await (const raw of wire) {
      expect(raw.subject).toBe(`${namespace}.dlq.orders-dl`);
      expect(raw.headers?.get(DEAD_LETTER_HEADERS.originalSubject)).toBe('orders.bad');
    }
  });

  it('refuses a namespace that is not a single subject token', async () => {
    await expect(
      connectNatsBus({ servers: testServices.natsUrl, streams: [], subjectNamespace: 'two.tokens' }),
    ).rejects.toThrow(/single token/);
  });
});
