import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusUnavailableError, connectNatsBus } from '@sms/bus';
import type { Bus, DeliveredMessage } from '@sms/bus';
import { startPrivateNatsServer, uniqueName } from '@sms/testing';
import type { PrivateNatsServer } from '@sms/testing';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('NATS bus during a NATS outage', () => {
  let server: PrivateNatsServer;
  let bus: Bus;
  let prefix: string;

  beforeEach(async () => {
    server = await startPrivateNatsServer();
    prefix = uniqueName('outage');
    bus = await connectNatsBus({
      servers: server.url,
      streams: [{ name: uniqueName('outage_stream'), subjects: [`${prefix}.>`] }],
      deadLetter: { stream: uniqueName('outage_dlq'), subjectPrefix: `${prefix}_dlq` },
      publishTimeoutMs: 1000,
      requestTimeoutMs: 1000,
      reconnectTimeWaitMs: 100,
    });
    await bus.publish(`${prefix}.orders.created`, bytes('before'), { msgId: 'before-outage' });
  });

  afterEach(async () => {
    await bus.close();
    await server.dispose();
  });

  it('fails ping once the server is gone', async () => {
    await server.kill();

    await expect(bus.ping()).rejects.toBeInstanceOf(BusUnavailableError);
  });

  it('rejects a publish with a clear error within its timeout instead of hanging', async () => {
    await server.kill();
    const started = Date.now();

    const publishing = bus.publish(`${prefix}.orders.created`, bytes('during'), { msgId: 'during-outage' });

    await expect(publishing).rejects.toThrow(BusUnavailableError);
    await expect(publishing).rejects.toThrow(/publish to ".*orders\.created" failed: NATS is disconnected/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('recovers when the server comes back: ping answers, publishes are stored and consumers receive them', async () => {
    const received: DeliveredMessage[] = [];
    await bus.subscribe({ durable: 'survivor', subjects: [`${prefix}.orders.*`] }, (m) => {
      received.push(m);
      return Promise.resolve();
    });
    await vi.waitFor(() => expect(received.map((m) => m.msgId)).toEqual(['before-outage']), { timeout: 10_000 });
    await server.kill();
    await expect(bus.ping()).rejects.toBeInstanceOf(BusUnavailableError);

    await server.restart();

    await vi.waitFor(() => bus.ping(), { timeout: 15_000, interval: 200 });
    const ack = await bus.publish(`${prefix}.orders.created`, bytes('after'), { msgId: 'after-outage' });
    expect(ack.duplicate).toBe(false);
    await vi.waitFor(() => expect(received.map((m) => m.msgId)).toEqual(['before-outage', 'after-outage']), {
      timeout: 15_000,
      interval: 100,
    });
  });
});
