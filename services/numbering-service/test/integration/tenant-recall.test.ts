import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import type { Subscription } from '@sms/bus';
import { uuidv7 } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { encodeEnvelope } from '@sms/outbox';
import { uniqueName } from '@sms/testing';
import { subscribeTenantRecall, TENANT_RECALL_ACTOR } from '../../src/adapters/nats/tenant-recall.consumer.js';
import { createNatsFixture } from '../support/nats-fixture.js';
import type { NatsFixture } from '../support/nats-fixture.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';

const SUSPENDED = 'tenant-suspended';
const DELETED = 'tenant-deleted';
const BYSTANDER = 'tenant-bystander';
const CRASHED = 'tenant-crashed';
const BATCH = 2;

const senders = (base: number, count: number): string[] => Array.from({ length: count }, (_, i) => `+937055${String(base + i).padStart(5, '0')}`);

describe('bulk recall of a suspended or deleted tenant from the TENANT events', () => {
  let fixture: PostgresFixture;
  let nats: NatsFixture;
  let world: PostgresWorld;
  let subscription: Subscription | undefined;
  const crashAfterFirstBatch = new Set<string>();
  const batches: { eventId: string; batch: number }[] = [];

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_recall');
    nats = await createNatsFixture('numbering_recall');
    world = await createPostgresWorld(fixture, { tenants: [SUSPENDED, DELETED, BYSTANDER, CRASHED] });
    subscription = await subscribeTenantRecall({
      db: fixture.database.db,
      schema: world.schema.name,
      bus: nats.bus,
      consumer: uniqueName('tenant_recall'),
      subjectPrefix: nats.subjectPrefix,
      listHeld: (query) => world.useCases.system.numbers.listHeldByTenant({ ...query, state: null }),
      recall: world.useCases.forActor(TENANT_RECALL_ACTOR).recall,
      logger: createLogger({ service: 'numbering-test', level: 'silent' }),
      batchSize: BATCH,
      onBatch: ({ eventId, batch }) => {
        batches.push({ eventId, batch });
        if (batch === 1 && crashAfterFirstBatch.delete(eventId)) throw new Error('simulated crash after the first batch');
      },
    });
  });
  afterAll(async () => {
    await subscription?.stop();
    await nats?.cleanup();
    await fixture?.close();
  });

  /** Leases the first `leased` senders to the tenant and leaves the rest reserved. */
  async function hold(tenantId: string, values: readonly string[], leased: number): Promise<void> {
    await world.addNumbers(values);
    const uc = world.useCases.forActor(tenant(tenantId));
    for (const [index, number] of values.entries()) {
      const reserved = await uc.reserve.execute({ actor: tenant(tenantId), idempotencyKey: world.key(), number, tenantId, tenantPoolId: world.tenantPools[tenantId] ?? '' });
      expect(reserved.ok).toBe(true);
      if (index < leased) {
        const assigned = await uc.assign.execute({ actor: tenant(tenantId), idempotencyKey: world.key(), number, tenantId, uses: ['otp'] });
        expect(assigned.ok).toBe(true);
      }
    }
  }

  const tenantEvent = (type: string, tenantId: string): EventEnvelope => ({
    id: uuidv7(),
    type,
    aggregateType: 'tenant',
    aggregateId: tenantId,
    tenantId,
    occurredAt: new Date().toISOString(),
    data: { tenantId },
  });

  const publish = (event: EventEnvelope, msgId = event.id) => nats.bus.publish(`${nats.subjectPrefix}${event.type}`, encodeEnvelope(event), { msgId });

  const states = async (values: readonly string[]) =>
    Promise.all(values.map(async (value) => (await world.useCases.system.numbers.findByValue(value))?.lifecycle.state));

  const recalledEvents = async (values: readonly string[]): Promise<number> => {
    const result = await sql<{ count: string }>`
      SELECT count(*) AS count FROM ${sql.table(`${world.schema.name}.outbox`)}
      WHERE event_type = 'numbering.number.recalled.v1' AND aggregate_id IN (
        SELECT id::text FROM ${sql.table(`${world.schema.name}.numbers`)} WHERE value IN (${sql.join(values)}))`.execute(fixture.database.db);
    return Number(result.rows[0]?.count ?? 0);
  };

  const handled = async (eventId: string): Promise<boolean> => {
    const result = await sql<{ count: string }>`
      SELECT count(*) AS count FROM ${sql.table(`${world.schema.name}.inbox`)} WHERE event_id = ${eventId}`.execute(fixture.database.db);
    return Number(result.rows[0]?.count ?? 0) > 0;
  };

  it('recalls every lease and reservation of a suspended tenant and leaves other tenants untouched', async () => {
    const held = senders(100, 5);
    const others = senders(200, 2);
    await hold(SUSPENDED, held, 3);
    await hold(BYSTANDER, others, 1);

    await publish(tenantEvent('compliance.tenant.suspended.v1', SUSPENDED));

    await vi.waitFor(async () => expect(await states(held)).toEqual(held.map(() => 'recalled')), { timeout: 15_000, interval: 100 });
    const number = await world.useCases.system.numbers.findByValue(held[0] ?? '');
    expect(number?.lifecycle.state === 'recalled' && number.lifecycle.recall.reason).toBe('tenant_suspended');
    expect(await states(others)).toEqual(['assigned', 'reserved']);
  });

  it('handles the same event delivered twice only once', async () => {
    const held = senders(300, 3);
    await hold(DELETED, held, 2);
    const event = tenantEvent('tenant.deleted.v1', DELETED);
    await publish(event);
    await vi.waitFor(async () => expect(await handled(event.id)).toBe(true), { timeout: 15_000, interval: 100 });
    const before = batches.filter((b) => b.eventId === event.id).length;

    // Another msgId passes the broker's dedup window: only the inbox stands between it and a second run.
    await publish(event, uuidv7());
    const control = tenantEvent('tenant.deleted.v1', 'tenant-without-holdings');
    await publish(control);
    await vi.waitFor(async () => expect(await handled(control.id)).toBe(true), { timeout: 15_000, interval: 100 });

    expect(batches.filter((b) => b.eventId === event.id).length).toBe(before);
    expect(await recalledEvents(held)).toBe(held.length);
  });

  it('finishes the recall on redelivery after a crash between two batches, recalling each number once', async () => {
    const crashed = CRASHED;
    const held = senders(400, 5);
    await hold(crashed, held, 2);
    const event = tenantEvent('compliance.tenant.suspended.v1', crashed);
    crashAfterFirstBatch.add(event.id);

    await publish(event);

    await vi.waitFor(async () => expect(await handled(event.id)).toBe(true), { timeout: 15_000, interval: 100 });
    expect(await states(held)).toEqual(held.map(() => 'recalled'));
    expect(batches.filter((b) => b.eventId === event.id && b.batch === 1).length).toBe(2);
    expect(await recalledEvents(held)).toBe(held.length);
  });
});
