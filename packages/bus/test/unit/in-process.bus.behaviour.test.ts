import { describe, expect, it, vi } from 'vitest';
import { createInProcessBus } from '@sms/bus';
import type { DeliveredMessage } from '@sms/bus';
import { ManualClock } from '@sms/kernel';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('in-process bus (beyond the contract)', () => {
  it('accepts a msgId again once the duplicate window has passed on its clock', async () => {
    const clock = new ManualClock();
    const bus = createInProcessBus({ clock, duplicateWindowMs: 60_000 });
    await bus.publish('orders.created', bytes('a'), { msgId: 'same' });

    clock.advance(60_001);
    const again = await bus.publish('orders.created', bytes('a'), { msgId: 'same' });

    expect(again.duplicate).toBe(false);
    await bus.close();
  });

  it('still treats a msgId as a duplicate just inside the window', async () => {
    const clock = new ManualClock();
    const bus = createInProcessBus({ clock, duplicateWindowMs: 60_000 });
    await bus.publish('orders.created', bytes('a'), { msgId: 'same' });

    clock.advance(59_999);
    const again = await bus.publish('orders.created', bytes('a'), { msgId: 'same' });

    expect(again.duplicate).toBe(true);
    await bus.close();
  });

  it('delivers messages published before a durable first subscribed', async () => {
    const bus = createInProcessBus();
    await bus.publish('orders.created', bytes('early'), { msgId: 'early' });
    const received: DeliveredMessage[] = [];

    await bus.subscribe({ durable: 'late', subjects: ['orders.*'] }, (m) => {
      received.push(m);
      return Promise.resolve();
    });

    await vi.waitFor(() => expect(received.map((m) => m.msgId)).toEqual(['early']));
    await bus.close();
  });

  it('refuses to reuse a durable name with other subjects', async () => {
    const bus = createInProcessBus();
    await bus.subscribe({ durable: 'worker', subjects: ['orders.*'] }, () => Promise.resolve());

    const second = bus.subscribe({ durable: 'worker', subjects: ['audit.*'] }, () => Promise.resolve());

    await expect(second).rejects.toThrow(/already exists with subjects orders\.\*/);
    await bus.close();
  });

  it('runs at most `concurrency` handlers at once per subscription', async () => {
    const bus = createInProcessBus({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    let done = 0;
    await bus.subscribe({ durable: 'worker', subjects: ['jobs.*'] }, async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(10);
      running--;
      done++;
    });

    for (let i = 0; i < 8; i++) await bus.publish(`jobs.j${i}`, bytes(String(i)), { msgId: `j${i}` });

    await vi.waitFor(() => expect(done).toBe(8));
    expect(peak).toBe(2);
    await bus.close();
  });

  it('does not deliver a message its publisher mutates afterwards', async () => {
    const bus = createInProcessBus();
    const received: string[] = [];
    await bus.subscribe({ durable: 'worker', subjects: ['orders.*'] }, (m) => {
      received.push(new TextDecoder().decode(m.payload));
      return Promise.resolve();
    });
    const payload = bytes('original');

    await bus.publish('orders.created', payload, { msgId: 'm' });
    payload.fill(0);

    await vi.waitFor(() => expect(received).toEqual(['original']));
    await bus.close();
  });
});
