import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { ManualClock } from '@sms/kernel';
import { createConfigClient, subscribeInvalidations } from '../../src/index.js';
import type { ResolvedConfig } from '../../src/index.js';

const ACME = '/GLOBAL/region:kabul/tenant:acme';
const GLOBEX = '/GLOBAL/tenant:globex';
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const event = (type: string, data: Record<string, unknown>) => ({
  id: `e-${Math.random()}`,
  type,
  aggregateType: 'config-node',
  aggregateId: 'n',
  tenantId: null,
  occurredAt: '2026-03-01T00:00:00.000Z',
  data,
});

/** The in-process bus delivers asynchronously; wait until a condition holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('subscribeInvalidations', () => {
  let bus: Bus;
  afterEach(async () => {
    await bus.close();
  });

  /** A client over a fake config-service answering a per-path counter, so a refetch is visible. */
  async function setup() {
    bus = createInProcessBus();
    const fetched: string[] = [];
    const client = createConfigClient({
      ttlMs: 60_000,
      clock: new ManualClock('2026-03-01T00:00:00Z'),
      fetchResolved: (ref): Promise<ResolvedConfig> => {
        fetched.push(ref);
        return Promise.resolve({ path: ref, tenantId: null, values: { k: { value: fetched.length } } });
      },
    });
    const seen: Array<{ type: string; paths: readonly string[] | 'all' }> = [];
    const subscription = await subscribeInvalidations(bus, client, { durable: 'test-client', onInvalidate: (what) => seen.push(what) });
    await client.get(ACME, 'k', 0);
    await client.get(GLOBEX, 'k', 0);
    return { client, fetched, seen, subscription };
  }

  it('invalidates the changed node on a config.value event, so the next read fetches again', async () => {
    const { client, fetched, seen } = await setup();

    await bus.publish('config.value.set.v1', encode(event('config.value.set.v1', { path: ACME })), { msgId: 'm1' });
    await until(() => seen.length === 1);
    await client.get(ACME, 'k', 0);
    await client.get(GLOBEX, 'k', 0);

    expect(fetched).toEqual([ACME, GLOBEX, ACME]);
  });

  it('invalidates both the old and the new place of a moved node', async () => {
    const { seen } = await setup();

    await bus.publish('config.node.moved.v1', encode(event('config.node.moved.v1', { path: '/GLOBAL/region:herat/tenant:acme', fromPath: ACME })), { msgId: 'm2' });
    await until(() => seen.length === 1);

    expect(seen[0]).toEqual({ type: 'config.node.moved.v1', paths: ['/GLOBAL/region:herat/tenant:acme', ACME] });
  });

  it('invalidates everything on a key event', async () => {
    const { client, fetched, seen } = await setup();

    await bus.publish('config.key.updated.v1', encode(event('config.key.updated.v1', { key: 'k' })), { msgId: 'm3' });
    await until(() => seen.length === 1);
    await client.get(ACME, 'k', 0);
    await client.get(GLOBEX, 'k', 0);

    expect(fetched).toEqual([ACME, GLOBEX, ACME, GLOBEX]);
  });

  it('ignores an event it cannot read and keeps serving from its cache', async () => {
    const { client, fetched, seen } = await setup();

    await bus.publish('config.lock.set.v1', new TextEncoder().encode('not json'), { msgId: 'm4' });
    await bus.publish('config.lock.set.v1', encode(event('config.lock.set.v1', { path: ACME })), { msgId: 'm5' });
    await until(() => seen.length === 1);
    await client.get(GLOBEX, 'k', 0);

    expect(fetched).toEqual([ACME, GLOBEX]);
  });

  it('listens to the subjects under the prefix it is given', async () => {
    bus = createInProcessBus();
    const client = createConfigClient({ ttlMs: 1000, clock: new ManualClock('2026-03-01T00:00:00Z'), fetchResolved: () => Promise.reject(new Error('unused')) });
    const seen: string[] = [];
    await subscribeInvalidations(bus, client, { durable: 'prefixed', subjectPrefix: 'run1', onInvalidate: (what) => seen.push(what.type) });

    await bus.publish('config.value.set.v1', encode(event('config.value.set.v1', { path: ACME })), { msgId: 'p1' });
    await bus.publish('run1.config.value.cleared.v1', encode(event('config.value.cleared.v1', { path: ACME })), { msgId: 'p2' });
    await until(() => seen.length === 1);

    expect(seen).toEqual(['config.value.cleared.v1']);
  });
});
