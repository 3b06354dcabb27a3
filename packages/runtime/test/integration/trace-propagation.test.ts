import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { createDatabase, dropAppRole, ensureAppRole, withTenant } from '@sms/db';
import type { Database } from '@sms/db';
import { createHttpApp } from '@sms/http';
import { uuidv7 } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { OutboxRelay, appendToOutbox, createInboxConsumer, outboxTablesSql } from '@sms/outbox';
import { createFreshDatabase, deleteStreams, testServices, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { activeTraceIds, initTracing } from '@sms/tracing';
import type { TracingHandle } from '@sms/tracing';
import { sql } from 'kysely';

// One trace from an HTTP request, through the outbox row its handler writes, the relay's publish to
// NATS JetStream and the consumer that handles the event (ARCHITECTURE.md, Tracing).
describe('W3C trace context from HTTP to the consumer of an outboxed event', () => {
  const schema = uniqueName('trace');
  const appRole = uniqueName('trace_app');
  const stream = uniqueName('TRACE');
  const subject = `${uniqueName('trace')}.item.created`;
  let tracing: TracingHandle;
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  let bus: Bus;

  beforeAll(async () => {
    tracing = initTracing({ service: 'trace-propagation-test', exporter: 'memory' });
    fresh = await createFreshDatabase('trace');
    database = createDatabase({ url: fresh.url });
    await sql.raw(`CREATE SCHEMA "${schema}"; ${outboxTablesSql(schema)}`).execute(database.db);
    await ensureAppRole({ db: database.db, role: appRole, schemas: [schema] });
    bus = await connectNatsBus({
      servers: testServices.natsUrl,
      streams: [{ name: stream, subjects: [`${subject.split('.')[0]}.>`] }],
      deadLetter: { stream: `${stream}_DLQ`, subjectPrefix: `${subject.split('.')[0]}_dlq` },
    });
  });

  afterAll(async () => {
    await bus.close();
    await deleteStreams([stream, `${stream}_DLQ`]);
    await dropAppRole(database.db, appRole);
    await database.close();
    await fresh.drop();
    await tracing.shutdown();
  });

  it('continues the caller’s trace in the request, the relay’s publish and the consumer', async () => {
    const app = await createHttpApp({ service: 'trace-test', version: '1.0.0', logger: createLogger({ service: 'trace-test', level: 'silent' }) });
    let requestTraceId: string | undefined;
    app.post('/items', async () => {
      requestTraceId = activeTraceIds()?.traceId;
      await withTenant(database.db, { tenantId: 'tenant-a', role: appRole }, (trx) =>
        appendToOutbox(trx, schema, {
          id: uuidv7(),
          type: 'trace.item.created.v1',
          aggregateType: 'item',
          aggregateId: 'item-1',
          tenantId: 'tenant-a',
          occurredAt: new Date().toISOString(),
          data: { name: 'one' },
        }),
      );
      return { ok: true };
    });

    let consumerTraceId: string | undefined;
    const handled = new Promise<void>((resolve) => {
      void createInboxConsumer({
        db: database.db,
        schema,
        bus,
        consumer: uniqueName('trace_consumer'),
        subjects: [subject],
        role: appRole,
        handle: () => {
          consumerTraceId = activeTraceIds()?.traceId;
          resolve();
          return Promise.resolve();
        },
      }).then((subscription) => handledSubscriptions.push(subscription));
    });
    const handledSubscriptions: Array<{ stop(): Promise<void> }> = [];

    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await app.inject({
      method: 'POST',
      url: '/items',
      headers: { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` },
    });
    expect(response.statusCode).toBe(200);

    // The relay runs later, outside the request.
    await new OutboxRelay({ db: database.db, schema, bus, subjectFor: () => subject }).runOnce();
    await handled;
    for (const subscription of handledSubscriptions) await subscription.stop();
    await app.close();

    expect(requestTraceId).toBe(callerTraceId);
    expect(consumerTraceId).toBe(callerTraceId);
    const serverSpan = tracing.memoryExporter?.getFinishedSpans().find((s) => s.name === 'HTTP POST /items');
    expect(serverSpan?.spanContext().traceId).toBe(callerTraceId);
  });
});
