import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '@sms/bus';
import { createDatabase } from '@sms/db';
import type { Database } from '@sms/db';
import { appendToOutbox, OutboxRelay } from '@sms/outbox';
import { createFreshDatabase, uniqueName, withAdmin } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { describeOutboxScenarios } from './outbox.scenarios.js';
import { collect, countRows, createOutboxSchema, eventually, itemChanged, natsBusFixture, QUIET_MS } from './support.js';
import type { BusFixture } from './support.js';

describeOutboxScenarios('NATS JetStream', () => natsBusFixture('outbox_nats'));

describe('a relay that dies between publishing and marking, over NATS JetStream', () => {
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  let fixture: BusFixture;

  beforeAll(async () => {
    fresh = await createFreshDatabase('outbox_crash');
    database = createDatabase({ url: fresh.url });
    fixture = await natsBusFixture('outbox_crash');
  });
  afterAll(async () => {
    await fixture.cleanup();
    await database.close();
    await fresh.drop();
  });

  it('causes no second delivery when a fresh relay publishes the same rows again', async () => {
    const schema = await createOutboxSchema(database.db);
    const subjectFor = (): string => `${fixture.subjectPrefix}.${schema}.items`;
    const events = [itemChanged('a', 0), itemChanged('a', 1), itemChanged('b', 0)];
    await database.db.transaction().execute(async (trx) => {
      for (const event of events) await appendToOutbox(trx, schema, event);
    });
    const { messages, subscription } = await collect(fixture.bus, [subjectFor()]);

    // The doomed relay's database session is killed right after the broker stored each message,
    // so its mark step fails as if the process had died there.
    const doomedName = uniqueName('doomed_relay');
    const doomedDatabase = createDatabase({ url: fresh.url, applicationName: doomedName, poolMax: 1 });
    const killSessionAfterPublish: Bus = {
      ...fixture.bus,
      publish: async (subject, payload, options) => {
        const ack = await fixture.bus.publish(subject, payload, options);
        await withAdmin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [doomedName]));
        return ack;
      },
    };
    const doomed = new OutboxRelay({ db: doomedDatabase.db, schema, bus: killSessionAfterPublish, subjectFor });
    await expect(doomed.runOnce()).rejects.toThrow();
    await doomedDatabase.close();
    expect(await countRows(database.db, schema, 'outbox', 'published_at IS NULL')).toBe(3);

    const successor = new OutboxRelay({ db: database.db, schema, bus: fixture.bus, subjectFor });
    const republished = await successor.runOnce();
    await eventually(() => expect(messages).toHaveLength(3));
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    await subscription.stop();

    expect(republished).toBe(3);
    expect(messages.map((m) => m.msgId)).toEqual(events.map((e) => e.id));
    expect(await countRows(database.db, schema, 'outbox', 'published_at IS NULL')).toBe(0);
  });
});
