import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS } from '@sms/bus';
import type { Subscription } from '@sms/bus';
import { createDatabase } from '@sms/db';
import type { Database } from '@sms/db';
import type { EventEnvelope } from '@sms/kernel';
import { appendToOutbox, createInboxConsumer, encodeEnvelope, OutboxRelay } from '@sms/outbox';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { collect, countRows, createOutboxSchema, eventually, itemChanged, QUIET_MS } from './support.js';
import type { BusFixture, ItemChanged } from './support.js';

/**
 * What the outbox, relay and inbox guarantee, whatever the bus: nothing of a rolled-back
 * transaction is published, one aggregate's events arrive in order, and a redelivered event is
 * handled once. Runs against NATS JetStream and the in-process bus.
 */
export function describeOutboxScenarios(name: string, busFixture: () => Promise<BusFixture>): void {
  describe(`outbox, relay and inbox over ${name}`, () => {
    let fresh: FreshDatabase;
    let database: Database<unknown>;
    let fixture: BusFixture;
    let schema: string;
    let relay: OutboxRelay<unknown>;
    let subscriptions: Subscription[];

    beforeAll(async () => {
      fresh = await createFreshDatabase('outbox');
      database = createDatabase({ url: fresh.url, poolMax: 6 });
      fixture = await busFixture();
    });
    afterAll(async () => {
      await fixture.cleanup();
      await database.close();
      await fresh.drop();
    });
    beforeEach(async () => {
      schema = await createOutboxSchema(database.db);
      subscriptions = [];
      relay = new OutboxRelay({
        db: database.db,
        schema,
        bus: fixture.bus,
        subjectFor: (e) => subjectOf(e),
        batchSize: 7,
        pollIntervalMs: 20,
      });
    });
    afterEach(async () => {
      await relay.stop();
      await Promise.all(subscriptions.map((s) => s.stop()));
    });

    // One subject per aggregate: the bus handles one subject's messages in order.
    const subjectOf = (e: EventEnvelope): string => `${fixture.subjectPrefix}.${schema}.${e.aggregateType}.${e.aggregateId}`;
    const allSubjects = (): string[] => [`${fixture.subjectPrefix}.${schema}.>`];
    const appendCommitted = (...events: EventEnvelope[]): Promise<void> =>
      database.db.transaction().execute(async (trx) => {
        for (const event of events) await appendToOutbox(trx, schema, event);
      });

    it('publishes nothing for a transaction that rolled back', async () => {
      const { messages, subscription } = await collect(fixture.bus, allSubjects());
      subscriptions.push(subscription);
      const rolledBack = itemChanged('a', 0);
      const committed = itemChanged('b', 0);

      await database.db
        .transaction()
        .execute(async (trx) => {
          await appendToOutbox(trx, schema, rolledBack);
          throw new Error('the state change failed');
        })
        .catch(() => undefined);
      await appendCommitted(committed);
      await relay.runOnce();
      await eventually(() => expect(messages.map((m) => m.msgId)).toContain(committed.id));
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));

      expect(messages.map((m) => m.msgId)).toEqual([committed.id]);
      expect(await countRows(database.db, schema, 'outbox', `id = '${rolledBack.id}'`)).toBe(0);
    });

    it("delivers each aggregate's events in the order they were written", async () => {
      const received = new Map<string, number[]>();
      subscriptions.push(
        await createInboxConsumer({
          db: database.db,
          schema,
          bus: fixture.bus,
          consumer: uniqueName('ordered'),
          subjects: allSubjects(),
          handle: (envelope) => {
            const list = received.get(envelope.aggregateId) ?? [];
            list.push((envelope.data as ItemChanged).n);
            received.set(envelope.aggregateId, list);
            return Promise.resolve();
          },
        }),
      );
      relay.start();
      const counts: Record<string, number> = { a: 20, b: 17, c: 13 };

      // One writer per aggregate, each committing its events one by one, all three interleaved.
      await Promise.all(
        Object.entries(counts).map(async ([aggregateId, count]) => {
          for (let n = 0; n < count; n += 1) {
            await appendCommitted(itemChanged(aggregateId, n));
            if (n % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
        }),
      );

      await eventually(() => expect([...received.values()].flat()).toHaveLength(50));
      for (const [aggregateId, count] of Object.entries(counts)) {
        expect(received.get(aggregateId)).toEqual(Array.from({ length: count }, (_, n) => n));
      }
      const seqOrder = await sql<{ aggregate_id: string }>`SELECT aggregate_id FROM ${sql.raw(`"${schema}".outbox`)} ORDER BY seq`.execute(database.db);
      expect(new Set(seqOrder.rows.slice(0, 10).map((r) => r.aggregate_id)).size).toBeGreaterThan(1);
    });

    it('handles a redelivered event once', async () => {
      const handled: string[] = [];
      const consumer = uniqueName('once');
      subscriptions.push(
        await createInboxConsumer({
          db: database.db,
          schema,
          bus: fixture.bus,
          consumer,
          subjects: allSubjects(),
          handle: async (envelope, trx) => {
            handled.push(envelope.id);
            await sql`INSERT INTO ${sql.raw(`"${schema}".effects`)} VALUES (${envelope.id}, ${envelope.aggregateId}, ${(envelope.data as ItemChanged).n})`.execute(trx);
          },
        }),
      );
      const event = itemChanged('a', 0);
      const marker = itemChanged('a', 1);
      await appendCommitted(event);
      await relay.runOnce();

      // The same event again under another msgId, as after an ack that never reached the broker;
      // then a marker behind it on the same subject, so once the marker is handled so is the copy.
      await fixture.bus.publish(subjectOf(event), encodeEnvelope(event), { msgId: `${event.id}-redelivered` });
      await fixture.bus.publish(subjectOf(marker), encodeEnvelope(marker), { msgId: marker.id });
      await eventually(() => expect(handled).toContain(marker.id));

      expect(handled.filter((id) => id === event.id)).toHaveLength(1);
      expect(await countRows(database.db, schema, 'effects', `event_id = '${event.id}'`)).toBe(1);
      expect(await countRows(database.db, schema, 'inbox', `consumer = '${consumer}' AND event_id = '${event.id}'`)).toBe(1);
    });

    it('handles an event again after a failed attempt, and then only once', async () => {
      let attempts = 0;
      subscriptions.push(
        await createInboxConsumer({
          db: database.db,
          schema,
          bus: fixture.bus,
          consumer: uniqueName('retry'),
          subjects: allSubjects(),
          delivery: { backoffMs: [50] },
          handle: async (envelope, trx) => {
            attempts += 1;
            await sql`INSERT INTO ${sql.raw(`"${schema}".effects`)} VALUES (${envelope.id}, ${envelope.aggregateId}, 0)`.execute(trx);
            if (attempts === 1) throw new Error('the first attempt fails after writing');
          },
        }),
      );
      const event = itemChanged('a', 0);
      await appendCommitted(event);

      await relay.runOnce();
      await eventually(() => expect(attempts).toBe(2));
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));

      expect(attempts).toBe(2);
      expect(await countRows(database.db, schema, 'effects', `event_id = '${event.id}'`)).toBe(1);
    });

    it('dead-letters a malformed message without calling the handler', async () => {
      const consumer = uniqueName('strict');
      let calls = 0;
      const { messages: deadLetters, subscription } = await collect(fixture.bus, [`${fixture.deadLetterPrefix}.${consumer}`]);
      subscriptions.push(subscription);
      subscriptions.push(
        await createInboxConsumer({
          db: database.db,
          schema,
          bus: fixture.bus,
          consumer,
          subjects: allSubjects(),
          handle: () => {
            calls += 1;
            return Promise.resolve();
          },
        }),
      );

      await fixture.bus.publish(`${fixture.subjectPrefix}.${schema}.item.x`, new TextEncoder().encode('{"not":"an envelope"}'), { msgId: uniqueName('bad') });

      await eventually(() => expect(deadLetters).toHaveLength(1));
      expect(deadLetters[0]?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/malformed event/);
      expect(calls).toBe(0);
    });
  });
}
