import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BusUnavailableError, connectNatsBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { testServices, uniqueName } from '@sms/testing';

const NANOS_PER_MS = 1_000_000;

describe('connectNatsBus: streams and publish errors', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const buses: Bus[] = [];
  const streams: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: testServices.natsUrl });
    jsm = await jetstreamManager(nc);
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    for (const name of streams.splice(0)) await jsm.streams.delete(name).catch(() => false);
  });
  afterAll(() => nc.close());

  async function connectWith(stream: string, subjects: string[], duplicateWindowMs?: number): Promise<Bus> {
    const dlq = `${stream}_dlq`;
    for (const name of [stream, dlq]) if (!streams.includes(name)) streams.push(name);
    const bus = await connectNatsBus({
      servers: testServices.natsUrl,
      streams: [{ name: stream, subjects, ...(duplicateWindowMs ? { duplicateWindowMs } : {}) }],
      deadLetter: { stream: dlq, subjectPrefix: `${stream}_dlq` },
      publishTimeoutMs: 1000,
    });
    buses.push(bus);
    return bus;
  }

  it('creates a configured stream with a two-minute duplicate window by default', async () => {
    const stream = uniqueName('setup');

    await connectWith(stream, [`${stream}.>`]);

    const info = await jsm.streams.info(stream);
    expect(info.config.subjects).toEqual([`${stream}.>`]);
    expect(info.config.duplicate_window).toBe(120_000 * NANOS_PER_MS);
  });

  it('updates an existing stream to the configured subjects and window at connect', async () => {
    const stream = uniqueName('setup');
    await connectWith(stream, [`${stream}.a.>`]);

    await connectWith(stream, [`${stream}.a.>`, `${stream}.b.>`], 30_000);

    const info = await jsm.streams.info(stream);
    expect(info.config.subjects).toEqual([`${stream}.a.>`, `${stream}.b.>`]);
    expect(info.config.duplicate_window).toBe(30_000 * NANOS_PER_MS);
  });

  it('creates the dead-letter stream capturing every subject under the dead-letter prefix', async () => {
    const stream = uniqueName('setup');

    await connectWith(stream, [`${stream}.>`]);

    expect((await jsm.streams.info(`${stream}_dlq`)).config.subjects).toEqual([`${stream}_dlq.>`]);
  });

  it('rejects a publish to a subject no stream captures with a clear error', async () => {
    const stream = uniqueName('setup');
    const bus = await connectWith(stream, [`${stream}.>`]);

    const publishing = bus.publish(`${uniqueName('nowhere')}.x`, new Uint8Array(), { msgId: 'lost' });

    await expect(publishing).rejects.toThrow(BusUnavailableError);
    await expect(publishing).rejects.toThrow(/no JetStream stream captures this subject/);
  });

  it('removes a fan-out subscription\'s own consumer when it stops', async () => {
    const stream = uniqueName('setup');
    const bus = await connectWith(stream, [`${stream}.>`]);
    const count = async (): Promise<number> => {
      let n = 0;
      for await (const _ of jsm.consumers.list(stream)) n++;
      return n;
    };

    const subscriptions = await Promise.all([1, 2].map(() => bus.subscribe({ durable: 'cache', subjects: [`${stream}.x`], fanOut: true }, () => Promise.resolve())));
    expect(await count()).toBe(2);

    await Promise.all(subscriptions.map((s) => s.stop()));
    expect(await count()).toBe(0);
  });
});
