import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, PublishOptions } from '@sms/bus';
import { createDatabase, migrate } from '@sms/db';
import type { Database } from '@sms/db';
import { ManualClock } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import {
  appendToOutbox,
  handleOnce,
  OutboxRelay,
  OutboxWriter,
  outboxTablesDownSql,
  outboxTablesSql,
  pruneInbox,
  pruneOutbox,
} from '@sms/outbox';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { collect, countRows, createOutboxSchema, eventually, inProcessBusFixture, itemChanged } from './support.js';
import type { BusFixture } from './support.js';

describe('OutboxRelay', () => {
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  let fixture: BusFixture;
  let schema: string;
  let relays: OutboxRelay<unknown>[];

  beforeAll(async () => {
    fresh = await createFreshDatabase('relay');
    database = createDatabase({ url: fresh.url, poolMax: 6 });
    fixture = await inProcessBusFixture('relay');
  });
  afterAll(async () => {
    await fixture.cleanup();
    await database.close();
    await fresh.drop();
  });
  beforeEach(async () => {
    schema = await createOutboxSchema(database.db);
    relays = [];
  });
  afterEach(async () => {
    await Promise.all(relays.map((r) => r.stop()));
  });

  const subject = (): string => `${fixture.subjectPrefix}.${schema}.items`;
  const relayFor = (options: Partial<ConstructorParameters<typeof OutboxRelay<unknown>>[0]> = {}): OutboxRelay<unknown> => {
    const relay = new OutboxRelay({ db: database.db, schema, bus: fixture.bus, subjectFor: () => subject(), ...options });
    relays.push(relay);
    return relay;
  };
  const append = (...events: EventEnvelope[]): Promise<void> =>
    database.db.transaction().execute(async (trx) => {
      for (const event of events) await appendToOutbox(trx, schema, event);
    });

  /** A bus that refuses to publish the events whose ids are in `failing`. */
  const failingFor = (failing: Set<string>): Bus => ({
    ...fixture.bus,
    publish: (s: string, payload: Uint8Array, options: PublishOptions) =>
      failing.has(options.msgId) ? Promise.reject(new Error('broker unavailable')) : fixture.bus.publish(s, payload, options),
  });

  it('publishes in write order with the event id as msgId, and marks the rows published', async () => {
    const events = [itemChanged('a', 0), itemChanged('b', 0), itemChanged('a', 1)];
    await append(...events);
    const { messages, subscription } = await collect(fixture.bus, [subject()]);

    const published = await relayFor().runOnce();
    await eventually(() => expect(messages).toHaveLength(3));
    await subscription.stop();

    expect(published).toBe(3);
    expect(messages.map((m) => m.msgId)).toEqual(events.map((e) => e.id));
    expect(JSON.parse(new TextDecoder().decode(messages[0]?.payload))).toEqual(events[0]);
    expect(await countRows(database.db, schema, 'outbox', 'published_at IS NOT NULL AND attempts = 1')).toBe(3);
  });

  it('publishes at most one batch per run', async () => {
    await append(...Array.from({ length: 5 }, (_, n) => itemChanged('a', n)));

    const published = await relayFor({ batchSize: 2 }).runOnce();

    expect(published).toBe(2);
    expect(await countRows(database.db, schema, 'outbox', 'published_at IS NULL')).toBe(3);
  });

  it('stops the batch at a failed publish, records the failure and leaves later rows waiting', async () => {
    const events = [itemChanged('a', 0), itemChanged('a', 1), itemChanged('a', 2)];
    await append(...events);

    const published = await relayFor({ bus: failingFor(new Set([events[1]?.id ?? ''])) }).runOnce();

    expect(published).toBe(1);
    const rows = await sql<{ id: string; published: boolean; attempts: number; last_error: string | null }>`
      SELECT id, published_at IS NOT NULL AS published, attempts, last_error FROM ${sql.raw(`"${schema}".outbox`)} ORDER BY seq`.execute(database.db);
    expect(rows.rows).toEqual([
      { id: events[0]?.id, published: true, attempts: 1, last_error: null },
      { id: events[1]?.id, published: false, attempts: 1, last_error: 'Error: broker unavailable' },
      { id: events[2]?.id, published: false, attempts: 0, last_error: null },
    ]);
  });

  it('retries a failed row on the next run, before the rows behind it', async () => {
    const events = [itemChanged('a', 0), itemChanged('a', 1)];
    await append(...events);
    await relayFor({ bus: failingFor(new Set([events[0]?.id ?? ''])) }).runOnce();
    const { messages, subscription } = await collect(fixture.bus, [subject()]);

    const published = await relayFor().runOnce();
    await eventually(() => expect(messages).toHaveLength(2));
    await subscription.stop();

    expect(published).toBe(2);
    expect(messages.map((m) => m.msgId)).toEqual(events.map((e) => e.id));
  });

  it('publishes nothing while another relay holds the schema', async () => {
    await append(itemChanged('a', 0));

    const published = await database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('sms.outbox-relay'), hashtext(${schema}))`.execute(trx);
      return relayFor().runOnce();
    });

    expect(published).toBe(0);
    expect(await countRows(database.db, schema, 'outbox', 'published_at IS NULL')).toBe(1);
  });

  it('reports how many rows wait and the age of the oldest by its clock', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const writer = new OutboxWriter({ schema, clock });
    await database.db.transaction().execute((trx) => writer.append(trx, itemChanged('a', 0), itemChanged('a', 1)));
    clock.advance(4_500);

    const lag = await relayFor({ clock }).lag();

    expect(lag).toEqual({ pending: 2, oldestAgeMs: 4_500 });
  });

  it('reports no lag when everything is published', async () => {
    await append(itemChanged('a', 0));
    const relay = relayFor();
    await relay.runOnce();

    expect(await relay.lag()).toEqual({ pending: 0, oldestAgeMs: 0 });
  });

  it('wakes on the outbox notification instead of waiting for the next poll', async () => {
    const { messages, subscription } = await collect(fixture.bus, [subject()]);
    const relay = relayFor({ pollIntervalMs: 60_000, listen: database.pool });
    relay.start();
    // The listener holds its own connection; wait until its LISTEN has run.
    await eventually(async () => {
      const listening = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE ${`LISTEN "${schema}_outbox"`}`.execute(database.db);
      expect(listening.rows[0]?.n).toBe(1);
    });
    const event = itemChanged('a', 0);

    await append(event);

    await eventually(() => expect(messages.map((m) => m.msgId)).toEqual([event.id]), 3_000);
    await subscription.stop();
  });

  it('keeps publishing in the background until stopped', async () => {
    const relay = relayFor({ pollIntervalMs: 20 });
    relay.start();
    await append(itemChanged('a', 0));
    await eventually(async () => expect(await countRows(database.db, schema, 'outbox', 'published_at IS NULL')).toBe(0));

    await relay.stop();
    await append(itemChanged('a', 1));
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(await countRows(database.db, schema, 'outbox', 'published_at IS NULL')).toBe(1);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(appendToOutbox(database.db, schema, itemChanged('a', 0))).rejects.toThrow(/needs the transaction/);
  });

  it('refuses to append a malformed envelope', async () => {
    const malformed = { ...itemChanged('a', 0), type: 'ItemChanged' };

    await expect(database.db.transaction().execute((trx) => appendToOutbox(trx, schema, malformed))).rejects.toThrow(/type must look like/);
  });

  it('prunes published rows older than the cut-off and keeps unpublished ones', async () => {
    await append(itemChanged('a', 0), itemChanged('a', 1));
    await relayFor({ batchSize: 1 }).runOnce();

    const pruned = await pruneOutbox(database.db, schema, new Date(Date.now() + 60_000));

    expect(pruned).toBe(1);
    expect(await countRows(database.db, schema, 'outbox')).toBe(1);
  });
});

describe('handleOnce', () => {
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  let schema: string;

  beforeAll(async () => {
    fresh = await createFreshDatabase('inbox');
    database = createDatabase({ url: fresh.url, poolMax: 4 });
    schema = await createOutboxSchema(database.db);
  });
  afterAll(async () => {
    await database.close();
    await fresh.drop();
  });

  const record = (consumer: string, eventId: string): Promise<boolean> =>
    database.db.transaction().execute((trx) => handleOnce(trx, schema, consumer, eventId));

  it('is true the first time a consumer records an event and false afterwards', async () => {
    const event = itemChanged('a', 0);

    expect(await record('billing', event.id)).toBe(true);
    expect(await record('billing', event.id)).toBe(false);
  });

  it('keeps consumers apart', async () => {
    const event = itemChanged('a', 0);
    await record('billing', event.id);

    expect(await record('reporting', event.id)).toBe(true);
  });

  it('lets exactly one of two concurrent transactions record the same event', async () => {
    const event = itemChanged('a', 0);

    const results = await Promise.all([record('racer', event.id), record('racer', event.id), record('racer', event.id)]);

    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets an event whose handling transaction rolled back', async () => {
    const event = itemChanged('a', 0);
    await database.db
      .transaction()
      .execute(async (trx) => {
        await handleOnce(trx, schema, 'flaky', event.id);
        throw new Error('handler failed');
      })
      .catch(() => undefined);

    expect(await record('flaky', event.id)).toBe(true);
  });

  it('prunes inbox rows recorded before the cut-off', async () => {
    const consumer = uniqueName('pruned');
    await record(consumer, itemChanged('a', 0).id);

    await pruneInbox(database.db, schema, new Date(Date.now() + 60_000));

    expect(await countRows(database.db, schema, 'inbox', `consumer = '${consumer}'`)).toBe(0);
  });
});

describe('outboxTablesSql in a versioned migration', () => {
  let fresh: FreshDatabase;
  let dir: string;

  beforeAll(async () => {
    fresh = await createFreshDatabase('outbox_migration');
    dir = await mkdtemp(join(tmpdir(), 'sms-outbox-migration-'));
    await writeFile(join(dir, '0001_outbox.up.sql'), outboxTablesSql('{{schema}}'));
    await writeFile(join(dir, '0001_outbox.down.sql'), outboxTablesDownSql('{{schema}}'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await fresh.drop();
  });

  it('creates the tables going up and removes them going down', async () => {
    const schema = uniqueName('svc');
    const database = createDatabase({ url: fresh.url });
    const tables = async (): Promise<string[]> =>
      (await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = ${schema} AND tablename <> 'schema_migrations' ORDER BY 1`.execute(database.db)).rows.map((r) => r.t);
    try {
      await migrate({ db: database.db, schema, dir, direction: 'up' });
      const afterUp = await tables();
      await migrate({ db: database.db, schema, dir, direction: 'down' });

      expect(afterUp).toEqual(['inbox', 'outbox']);
      expect(await tables()).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
