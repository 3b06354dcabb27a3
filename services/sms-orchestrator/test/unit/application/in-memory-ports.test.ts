import { describe, expect, it } from 'vitest';
import {
  InMemoryIdempotencyStore,
  InMemoryInbox,
  InMemoryMessageStore,
  InMemoryOutbox,
  InMemoryRateLimiter,
  InMemoryUnitOfWork,
  ScriptedRouter,
  SequenceRandom,
  StaticTenantSettings,
  UndoLog,
} from '../../../src/application/testing/index.js';
import type { TransactionScope } from '../../../src/application/ports/unit-of-work.port.js';
import type { IdempotentResponse } from '../../../src/application/submit-outputs.js';
import { acceptedMessage } from '../../support/messages.js';

const T0 = new Date('2026-04-18T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

function stores() {
  const messages = new InMemoryMessageStore();
  const outbox = new InMemoryOutbox();
  const inbox = new InMemoryInbox();
  const idempotency = new InMemoryIdempotencyStore();
  return { messages, outbox, inbox, idempotency, unitOfWork: new InMemoryUnitOfWork({ messages, outbox, inbox, idempotency }) };
}

const response: IdempotentResponse = {
  operation: 'send',
  output: { messageId: 'm-1', status: 'accepted', encoding: 'GSM-7', segments: 1, clientReference: null, acceptedAt: T0.toISOString() },
};

describe('InMemoryUnitOfWork', () => {
  it('undoes every write of a unit of work that throws, and rethrows', async () => {
    const s = stores();
    await s.idempotency.claim({ tenantId: 'tenant-a', key: 'k', fingerprint: 'f', token: 't', now: T0 });
    const failing = s.unitOfWork.run('tenant-a', async (scope) => {
      await scope.messages.insert([acceptedMessage()]);
      await scope.outbox.append([{ id: 'e', type: 'x.y.z.v1', aggregateType: 'a', aggregateId: 'b', tenantId: 'tenant-a', occurredAt: T0.toISOString(), data: {} }]);
      await scope.inbox.markHandled('c', 'e1');
      await scope.idempotency.record({ tenantId: 'tenant-a', key: 'k', token: 't', response, now: T0 });
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect([s.messages.all().length, s.outbox.events.length, s.inbox.size]).toEqual([0, 0, 0]);
    expect(await s.idempotency.claim({ tenantId: 'tenant-a', key: 'k', fingerprint: 'f', token: 't2', now: T0 })).toEqual({ outcome: 'in-progress' });
  });

  it('undoes an update of a unit of work that throws', async () => {
    const s = stores();
    await s.unitOfWork.run('tenant-a', (scope) => scope.messages.insert([acceptedMessage()]));
    const failing = s.unitOfWork.run('tenant-a', async (scope) => {
      const message = await scope.messages.findById('msg-1');
      message?.reject('ORCH.NO_ROUTE', 'x', 1, T0);
      if (message) await scope.messages.update(message);
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(s.messages.get('msg-1')).toMatchObject({ status: 'accepted', version: 0 });
  });

  it('refuses a scope used after its unit of work ended', async () => {
    const s = stores();
    let leaked: TransactionScope | undefined;
    await s.unitOfWork.run('tenant-a', (scope) => {
      leaked = scope;
      return Promise.resolve();
    });
    expect(() => leaked?.messages.findById('msg-1')).toThrow('transaction scope used after its unit of work ended');
  });
});

describe('InMemoryMessageStore', () => {
  it('hides the messages of other tenants', async () => {
    const s = stores();
    await s.unitOfWork.run('tenant-a', (scope) => scope.messages.insert([acceptedMessage()]));
    expect(await s.unitOfWork.run('tenant-b', (scope) => scope.messages.findById('msg-1'))).toBeNull();
  });

  it('refuses to insert a message of another tenant', async () => {
    const s = stores();
    await expect(s.unitOfWork.run('tenant-b', (scope) => scope.messages.insert([acceptedMessage()]))).rejects.toThrow('another tenant');
  });

  it('refuses a duplicate id', async () => {
    const s = stores();
    await s.unitOfWork.run('tenant-a', (scope) => scope.messages.insert([acceptedMessage()]));
    await expect(s.unitOfWork.run('tenant-a', (scope) => scope.messages.insert([acceptedMessage()]))).rejects.toThrow('duplicate key');
  });

  it('updates only when the version still matches, and bumps it', async () => {
    const s = stores();
    await s.unitOfWork.run('tenant-a', (scope) => scope.messages.insert([acceptedMessage()]));
    const [first, second] = await Promise.all([
      s.unitOfWork.run('tenant-a', (scope) => scope.messages.findById('msg-1')),
      s.unitOfWork.run('tenant-a', (scope) => scope.messages.findById('msg-1')),
    ]);
    if (first === null || second === null) throw new Error('missing');
    expect(await s.unitOfWork.run('tenant-a', (scope) => scope.messages.update(first))).toBe(true);
    expect(await s.unitOfWork.run('tenant-a', (scope) => scope.messages.update(second))).toBe(false);
    expect(s.messages.get('msg-1')?.version).toBe(1);
  });

  it('does not update a message through another tenant', async () => {
    const s = stores();
    await s.unitOfWork.run('tenant-a', (scope) => scope.messages.insert([acceptedMessage()]));
    expect(await s.unitOfWork.run('tenant-b', (scope) => scope.messages.update(acceptedMessage()))).toBe(false);
  });
});

describe('InMemoryIdempotencyStore', () => {
  const claim = (store: InMemoryIdempotencyStore, token: string, now: Date, fingerprint = 'f1') =>
    store.claim({ tenantId: 'tenant-a', key: 'k', fingerprint, token, now });
  const record = (store: InMemoryIdempotencyStore, token: string) =>
    store.scoped(new UndoLog()).record({ tenantId: 'tenant-a', key: 'k', token, response, now: T0 });

  it('gives new to the first claim and in-progress to the next one', async () => {
    const store = new InMemoryIdempotencyStore();
    expect(await claim(store, 't1', T0)).toEqual({ outcome: 'new' });
    expect(await claim(store, 't2', T0)).toEqual({ outcome: 'in-progress' });
  });

  it('replays a recorded response', async () => {
    const store = new InMemoryIdempotencyStore();
    await claim(store, 't1', T0);
    await record(store, 't1');
    expect(await claim(store, 't2', at(1000))).toEqual({ outcome: 'replay', response });
  });

  it('answers conflict for another fingerprint, completed or not', async () => {
    const store = new InMemoryIdempotencyStore();
    await claim(store, 't1', T0);
    expect(await claim(store, 't2', T0, 'f2')).toEqual({ outcome: 'conflict' });
  });

  it('lets an abandoned claim be taken again after the in-progress timeout', async () => {
    const store = new InMemoryIdempotencyStore({ inProgressTimeoutMs: 1_000 });
    await claim(store, 't1', T0);
    expect(await claim(store, 't2', at(1_000))).toEqual({ outcome: 'new' });
    expect(await record(store, 't1')).toBe(false);
  });

  it('does not record with a token that does not own the claim', async () => {
    const store = new InMemoryIdempotencyStore();
    await claim(store, 't1', T0);
    expect(await record(store, 'intruder')).toBe(false);
  });

  it('does not record twice', async () => {
    const store = new InMemoryIdempotencyStore();
    await claim(store, 't1', T0);
    await record(store, 't1');
    expect(await record(store, 't1')).toBe(false);
  });

  it('does not release a claim with another token', async () => {
    const store = new InMemoryIdempotencyStore();
    await claim(store, 't1', T0);
    await store.release('tenant-a', 'k', 'intruder');
    expect(await claim(store, 't2', T0)).toEqual({ outcome: 'in-progress' });
  });

  it('does not release a completed record', async () => {
    const store = new InMemoryIdempotencyStore();
    await claim(store, 't1', T0);
    await record(store, 't1');
    await store.release('tenant-a', 'k', 't1');
    expect((await claim(store, 't2', T0)).outcome).toBe('replay');
  });

  it('forgets a completed record at the end of the window', async () => {
    const store = new InMemoryIdempotencyStore({ windowMs: 10_000 });
    await claim(store, 't1', T0);
    await record(store, 't1');
    expect(await claim(store, 't2', at(10_000))).toEqual({ outcome: 'new' });
  });

  it('returns a copy of the stored response', async () => {
    const store = new InMemoryIdempotencyStore();
    await claim(store, 't1', T0);
    await record(store, 't1');
    const replay = await claim(store, 't2', T0);
    expect(replay.outcome === 'replay' && replay.response).not.toBe(response);
  });
});

describe('InMemoryRateLimiter', () => {
  const limit = { messagesPerSecond: 10, burst: 5 };

  it('starts with a full bucket', async () => {
    const limiter = new InMemoryRateLimiter();
    expect(await limiter.tryAcquire('t', 5, limit, T0)).toEqual({ allowed: true });
  });

  it('refuses when the bucket is short and says how long until it refills enough', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.tryAcquire('t', 5, limit, T0);
    expect(await limiter.tryAcquire('t', 2, limit, T0)).toEqual({ allowed: false, retryAfterMs: 200 });
  });

  it('refills at the configured rate up to the burst', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.tryAcquire('t', 5, limit, T0);
    expect(await limiter.tryAcquire('t', 5, limit, at(10_000))).toEqual({ allowed: true });
    expect(await limiter.tryAcquire('t', 1, limit, at(10_000))).toMatchObject({ allowed: false });
  });

  it('lets a full bucket go into debt for a request larger than the burst', async () => {
    const limiter = new InMemoryRateLimiter();
    expect(await limiter.tryAcquire('t', 20, limit, T0)).toEqual({ allowed: true });
    expect(await limiter.tryAcquire('t', 1, limit, at(1_000))).toEqual({ allowed: false, retryAfterMs: 600 });
  });

  it('keeps a bucket per tenant', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.tryAcquire('t', 5, limit, T0);
    expect(await limiter.tryAcquire('u', 5, limit, T0)).toEqual({ allowed: true });
  });
});

describe('scripted fakes', () => {
  it('answers in order and then repeats the last answer', async () => {
    const router = new ScriptedRouter([
      { outcome: 'unavailable', reason: 'a' },
      { outcome: 'no-route', reason: 'b' },
    ]);
    const query = { tenantId: 't', messageId: 'm', destination: '+93791234567', sender: { kind: 'short_code' as const, value: '123' }, segments: 1 };
    const answers = [await router.route(query), await router.route(query), await router.route(query)].map((a) => a.outcome);
    expect(answers).toEqual(['unavailable', 'no-route', 'no-route']);
  });

  it('returns random values in order, then repeats the last', () => {
    const random = new SequenceRandom([0.1, 0.2]);
    expect([random.next(), random.next(), random.next()]).toEqual([0.1, 0.2, 0.2]);
  });

  it('falls back to the default settings for an unknown tenant', async () => {
    const settings = new StaticTenantSettings();
    expect((await settings.forTenant('anyone')).maxPartsPerMessage).toBe(10);
  });

  it('throws when a script is empty', () => {
    expect(() => new SequenceRandom([]).next()).toThrow('script is empty');
  });
});
