import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, withTenant, dropAppRole, ensureAppRole } from '@sms/db';
import type { Database } from '@sms/db';
import { appendToOutbox, createInboxConsumer, OutboxRelay } from '@sms/outbox';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { activeTraceIds, initTracing, withSpan } from '@sms/tracing';
import type { TracingHandle } from '@sms/tracing';
import { createOutboxSchema, eventually, itemChanged, natsBusFixture } from './support.js';
import type { BusFixture } from './support.js';

describe('tracing from the outbox to the consumer over NATS JetStream', () => {
  let tracing: TracingHandle;
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  let fixture: BusFixture;
  const appRole = uniqueName('trace_app');

  beforeAll(async () => {
    tracing = initTracing({ service: 'outbox-tracing-test', exporter: 'memory' });
    fresh = await createFreshDatabase('outbox_trace');
    database = createDatabase({ url: fresh.url });
    fixture = await natsBusFixture('outbox_trace');
  });
  afterAll(async () => {
    await fixture.cleanup();
    await dropAppRole(database.db, appRole);
    await database.close();
    await fresh.drop();
    await tracing.shutdown();
  });

  it('continues the trace of the span that wrote the event in the span that handles it', async () => {
    const schema = await createOutboxSchema(database.db);
    await ensureAppRole({ db: database.db, role: appRole, schemas: [schema] });
    const subject = `${fixture.subjectPrefix}.${schema}.items`;
    let handlerTraceId: string | undefined;
    const subscription = await createInboxConsumer({
      db: database.db,
      schema,
      bus: fixture.bus,
      consumer: uniqueName('traced'),
      subjects: [subject],
      role: appRole,
      handle: () => {
        handlerTraceId = activeTraceIds()?.traceId;
        return Promise.resolve();
      },
    });
    const relay = new OutboxRelay({ db: database.db, schema, bus: fixture.bus, subjectFor: () => subject });

    // The request: a span around the tenant's transaction that changes state and appends the event.
    const writerTraceId = await withSpan('POST /v1/things', async () => {
      await withTenant(database.db, { tenantId: 'tenant-t', role: appRole }, (trx) => appendToOutbox(trx, schema, itemChanged('a', 0, 'tenant-t')));
      return activeTraceIds()?.traceId;
    });
    // The relay runs later, outside any request span.
    await relay.runOnce();
    await eventually(() => expect(handlerTraceId).toBeDefined());
    await subscription.stop();

    expect(writerTraceId).toMatch(/^[0-9a-f]{32}$/);
    expect(handlerTraceId).toBe(writerTraceId);
    const inboxSpan = tracing.memoryExporter?.getFinishedSpans().find((s) => s.name.startsWith('inbox '));
    expect(inboxSpan?.spanContext().traceId).toBe(writerTraceId);
  });
});
