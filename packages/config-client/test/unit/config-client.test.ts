import { describe, expect, it } from 'vitest';
import { ManualClock } from '@sms/kernel';
import { createConfigClient } from '../../src/index.js';
import type { ConfigClientEvent, ResolvedConfig } from '../../src/index.js';

const ACME = '/GLOBAL/region:kabul/tenant:acme';

/** A stand-in for config-service: answers from a mutable table, can be taken down, counts calls. */
function fakeService() {
  const table = new Map<string, ResolvedConfig>();
  const service = {
    calls: [] as string[],
    down: false,
    set(ref: string, path: string, values: Record<string, number | string | boolean | readonly string[] | null>, tenantId: string | null = null) {
      table.set(ref, { path, tenantId, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])) });
    },
    fetchResolved: (ref: string): Promise<ResolvedConfig> => {
      service.calls.push(ref);
      if (service.down) return Promise.reject(new Error('config-service unreachable'));
      const found = table.get(ref);
      return found === undefined ? Promise.reject(new Error(`404 ${ref}`)) : Promise.resolve(found);
    },
  };
  return service;
}

function setup(ttlMs = 5_000) {
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  const service = fakeService();
  const events: ConfigClientEvent[] = [];
  const client = createConfigClient({ fetchResolved: service.fetchResolved, ttlMs, clock, onEvent: (e) => events.push(e) });
  service.set(ACME, ACME, { 'sms.max_parts_per_message': 4 }, 'acme');
  return { clock, service, events, client };
}

describe('createConfigClient', () => {
  it('returns the resolved value of a key at a node path', async () => {
    const { client } = setup();
    expect(await client.get(ACME, 'sms.max_parts_per_message', 6)).toBe(4);
  });

  it('asks for a tenant target as tenant:<id>', async () => {
    const { client, service } = setup();
    service.set('tenant:acme', ACME, { 'sms.max_parts_per_message': 3 }, 'acme');
    expect(await client.get({ tenantId: 'acme' }, 'sms.max_parts_per_message', 6)).toBe(3);
    expect(service.calls).toEqual(['tenant:acme']);
  });

  it('serves repeated reads from its cache within the TTL', async () => {
    const { client, service, clock } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    clock.advance(4_999);
    const second = await client.lookup(ACME, 'sms.max_parts_per_message');
    expect(second).toEqual({ value: 4, origin: 'cached' });
    expect(service.calls).toHaveLength(1);
  });

  it('fetches again once the TTL has passed', async () => {
    const { client, service, clock } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    service.set(ACME, ACME, { 'sms.max_parts_per_message': 8 }, 'acme');
    clock.advance(5_000);
    expect(await client.lookup(ACME, 'sms.max_parts_per_message')).toEqual({ value: 8, origin: 'fresh' });
  });

  it('fetches again after an explicit invalidation of the node', async () => {
    const { client, service } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    service.set(ACME, ACME, { 'sms.max_parts_per_message': 2 }, 'acme');
    client.invalidate(ACME);
    expect(await client.get(ACME, 'sms.max_parts_per_message', 6)).toBe(2);
  });

  it('treats an invalidation of an ancestor as an invalidation of the nodes below it', async () => {
    const { client, service } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    service.set(ACME, ACME, { 'sms.max_parts_per_message': 2 }, 'acme');
    client.invalidate('/GLOBAL/region:kabul');
    expect(await client.get(ACME, 'sms.max_parts_per_message', 6)).toBe(2);
  });

  it('does not invalidate a node whose path merely starts with the same characters', async () => {
    const { client, service } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    client.invalidate('/GLOBAL/region:kab');
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    expect(service.calls).toHaveLength(1);
  });

  it('invalidates a tenant target by the path of its node', async () => {
    const { client, service } = setup();
    service.set('tenant:acme', ACME, { 'sms.max_parts_per_message': 3 }, 'acme');
    await client.get({ tenantId: 'acme' }, 'sms.max_parts_per_message', 6);
    service.set('tenant:acme', ACME, { 'sms.max_parts_per_message': 5 }, 'acme');
    client.invalidate(ACME);
    expect(await client.get({ tenantId: 'acme' }, 'sms.max_parts_per_message', 6)).toBe(5);
  });

  it('invalidates everything at once', async () => {
    const { client, service } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    service.set(ACME, ACME, { 'sms.max_parts_per_message': 1 }, 'acme');
    client.invalidateAll();
    expect(await client.get(ACME, 'sms.max_parts_per_message', 6)).toBe(1);
  });

  it('serves the last known value when config-service is down after the TTL, and reports it', async () => {
    const { client, service, clock, events } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    service.down = true;
    clock.advance(60_000);
    expect(await client.lookup(ACME, 'sms.max_parts_per_message')).toEqual({ value: 4, origin: 'stale' });
    expect(events.map((e) => e.kind)).toEqual(['fetch-failed', 'stale-served']);
    expect(events[1]).toMatchObject({ kind: 'stale-served', nodeRef: ACME, ageMs: 60_000 });
  });

  it('still serves an invalidated value while config-service is down', async () => {
    const { client, service } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    service.down = true;
    client.invalidate(ACME);
    expect(await client.get(ACME, 'sms.max_parts_per_message', 6)).toBe(4);
  });

  it('reports itself degraded while fetches fail and healthy again after a success', async () => {
    const { client, service, clock } = setup();
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    service.down = true;
    clock.advance(10_000);
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    const degraded = client.status();
    service.down = false;
    clock.advance(10_000);
    await client.get(ACME, 'sms.max_parts_per_message', 6);
    expect(degraded).toMatchObject({ degraded: true, lastError: 'config-service unreachable' });
    expect(client.status()).toMatchObject({ degraded: false, lastError: null });
  });

  it('returns the fallback when config-service is down and nothing is cached', async () => {
    const { client, service, events } = setup();
    service.down = true;
    expect(await client.get(ACME, 'sms.max_parts_per_message', 6)).toBe(6);
    expect(events.at(-1)).toEqual({ kind: 'fallback-used', nodeRef: ACME, key: 'sms.max_parts_per_message', why: 'unavailable' });
  });

  it('reports a lookup with nothing cached and the service down as unavailable', async () => {
    const { client, service } = setup();
    service.down = true;
    expect(await client.lookup(ACME, 'sms.max_parts_per_message')).toEqual({ value: null, origin: 'unavailable' });
  });

  it('returns the fallback for a key without a value', async () => {
    const { client, events } = setup();
    expect(await client.get(ACME, 'sms.unknown_key', 'x')).toBe('x');
    expect(events.at(-1)).toMatchObject({ why: 'missing' });
  });

  it('returns the fallback for a redacted value', async () => {
    const { client, service } = setup();
    service.set(ACME, ACME, { 'webhook.token': null }, 'acme');
    expect(await client.get(ACME, 'webhook.token', 'none')).toBe('none');
  });

  it('returns the fallback when the value has another type than the fallback', async () => {
    const { client, events } = setup();
    expect(await client.get(ACME, 'sms.max_parts_per_message', 'six')).toBe('six');
    expect(events.at(-1)).toMatchObject({ why: 'type-mismatch' });
  });

  it('returns string lists and booleans as they were resolved', async () => {
    const { client, service } = setup();
    service.set(ACME, ACME, { 'sms.allowed_senders': ['ACME', 'ACMEBANK'], 'sms.unicode': true }, 'acme');
    expect(await client.get(ACME, 'sms.allowed_senders', [])).toEqual(['ACME', 'ACMEBANK']);
    expect(await client.get(ACME, 'sms.unicode', false)).toBe(true);
  });

  it('shares one fetch between concurrent reads of the same node', async () => {
    const { client, service } = setup();
    await Promise.all([client.get(ACME, 'a.b', 1), client.get(ACME, 'a.c', 1), client.get(ACME, 'a.d', 1)]);
    expect(service.calls).toHaveLength(1);
  });

  it('does not keep a value fetched before an invalidation that arrived while the fetch was in flight', async () => {
    const clock = new ManualClock();
    let release: (r: ResolvedConfig) => void = () => undefined;
    let calls = 0;
    const client = createConfigClient({
      clock,
      ttlMs: 60_000,
      fetchResolved: () => {
        calls += 1;
        if (calls === 1) return new Promise((resolve) => (release = resolve));
        return Promise.resolve({ path: ACME, tenantId: 'acme', values: { k: { value: 'new' } } });
      },
    });
    const first = client.get(ACME, 'k', '');
    client.invalidate(ACME);
    release({ path: ACME, tenantId: 'acme', values: { k: { value: 'old' } } });
    await first;
    expect(await client.get(ACME, 'k', '')).toBe('new');
  });

  it('keeps working when the event listener throws', async () => {
    const clock = new ManualClock();
    const client = createConfigClient({
      clock,
      ttlMs: 1_000,
      fetchResolved: () => Promise.reject(new Error('down')),
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(await client.get(ACME, 'k', 7)).toBe(7);
  });

  it('refuses a negative TTL', () => {
    expect(() => createConfigClient({ clock: new ManualClock(), ttlMs: -1, fetchResolved: () => Promise.reject(new Error('x')) })).toThrow(
      RangeError,
    );
  });
});
