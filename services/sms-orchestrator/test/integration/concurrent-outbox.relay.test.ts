import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Bus } from '@sms/bus';
import { withSystem } from '@sms/db';
import type { EventEnvelope } from '@sms/kernel';
import { appendToOutbox } from '@sms/outbox';
import { natsBusFixture } from '@sms/testing';
import type { NatsBusFixture } from '@sms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrentOutboxRelay } from '@sms/outbox';
import type { OrchDatabase } from '../../src/adapters/postgres/orch-tables.js';
import { collectEvents } from '../support/bus-collector.js';
import { createOrchTestDatabase } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';
import { waitFor } from '../support/wait-for.js';

let orch: OrchTestDatabase;
let nats: NatsBusFixture;

beforeAll(async () => {
  orch = await createOrchTestDatabase('orch_relay');
  nats = await natsBusFixture('orch_relay');
});
afterAll(async () => {
  await nats.cleanup();
  await orch.cleanup();
});

const event = (aggregateId: string, n: number): EventEnvelope => ({
  id: randomUUID(),
  type: 'sms.message.status-changed.v1',
  aggregateType: 'sms-message',
  aggregateId,
  tenantId: 'tenant-a',
  occurredAt: new Date().toISOString(),
  data: { n },
});

async function append(events: readonly EventEnvelope[]): Promise<void> {
  await orch.database.db.transaction().execute(async (trx) => {
    for (const e of events) await appendToOutbox<OrchDatabase>(trx, 'orch', e);
  });
}

async function unpublished(): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.outbox WHERE published_at IS NULL`.execute(orch.database.db);
  return result.rows[0]?.n ?? 0;
}

const relayOn = (bus: Bus, subject: string, batchSize = 7) =>
  new ConcurrentOutboxRelay({ db: orch.database.db, schema: 'orch', bus, subjectFor: () => subject, role: orch.roles.systemRole, batchSize });

const order = (events: readonly { envelope: EventEnvelope }[], aggregate: string) =>
  events.filter((e) => e.envelope.aggregateId === aggregate).map((e) => (e.envelope.data as { n: number }).n);

describe('ConcurrentOutboxRelay', () => {
  it('publishes every event once, with its id as message id, in order within each aggregate', async () => {
    const subject = `${nats.subjectPrefix}.ordered`;
    const collector = await collectEvents(nats.bus, [subject]);
    const events = Array.from({ length: 60 }, (_, i) => event(['a', 'b', 'c'][i % 3]!, Math.floor(i / 3)));
    await append(events);
    const relay = relayOn(nats.bus, subject);

    relay.start();
    await waitFor(() => Promise.resolve(collector.events.length), (n) => n >= 60);
    await relay.stop();
    await collector.stop();

    expect(collector.events.map((e) => e.envelope.id).sort()).toEqual(events.map((e) => e.id).sort());
    for (const aggregate of ['a', 'b', 'c']) expect(order(collector.events, aggregate)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(await unpublished()).toBe(0);
  });

  it('holds back the rest of an aggregate whose publish failed, publishes the others, and catches up in order', async () => {
    const subject = `${nats.subjectPrefix}.failing`;
    const collector = await collectEvents(nats.bus, [subject]);
    const events = [event('x', 0), event('y', 0), event('x', 1), event('y', 1), event('x', 2)];
    await append(events);
    let failNext = true;
    const flaky: Bus = {
      ...nats.bus,
      publish: (s, payload, options) => {
        if (failNext && options.msgId === events[2]?.id) {
          failNext = false;
          return Promise.reject(new Error('NATS hiccup'));
        }
        return nats.bus.publish(s, payload, options);
      },
    };
    const relay = relayOn(flaky, subject, 100);

    const first = await relay.runOnce();
    const lastError = await withSystem(orch.database.db, { role: orch.roles.systemRole }, (trx) =>
      sql<{ last_error: string }>`SELECT last_error FROM orch.outbox WHERE id = ${events[2]!.id}`.execute(trx),
    );
    const second = await relay.runOnce();
    await waitFor(() => Promise.resolve(collector.events.length), (n) => n >= 5);
    await collector.stop();

    expect(first).toBe(3);
    expect(lastError.rows[0]?.last_error).toContain('NATS hiccup');
    expect(second).toBe(2);
    expect(order(collector.events, 'x')).toEqual([0, 1, 2]);
    expect(order(collector.events, 'y')).toEqual([0, 1]);
  });

  it('does nothing while another relay of the schema holds the lock', async () => {
    await append([event('z', 0)]);
    const relay = relayOn(nats.bus, `${nats.subjectPrefix}.locked`);

    const published = await orch.database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('sms.outbox-relay'), hashtext('orch'))`.execute(trx);
      return relay.runOnce();
    });

    expect(published).toBe(0);
    expect(await relay.runOnce()).toBe(1);
  });
});
