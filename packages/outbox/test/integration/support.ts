import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { createInProcessBus } from '@sms/bus';
import type { Bus, DeliveredMessage, Subscription } from '@sms/bus';
import { uuidv7 } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { outboxTablesSql } from '@sms/outbox';
import { natsBusFixture, uniqueName } from '@sms/testing';
import type { NatsBusFixture } from '@sms/testing';

/** A bus for one test file, with subjects no other test uses. */
export type BusFixture = NatsBusFixture;
export { natsBusFixture };

export function inProcessBusFixture(label: string): Promise<BusFixture> {
  const deadLetterPrefix = uniqueName(`${label}_dlq`);
  const bus = createInProcessBus({ deadLetterPrefix });
  return Promise.resolve({ bus, subjectPrefix: uniqueName(label), deadLetterPrefix, cleanup: () => bus.close() });
}

export interface ItemChanged {
  readonly n: number;
}

/** An event of aggregate `item/<aggregateId>` carrying its position `n` among that aggregate's events. */
export function itemChanged(aggregateId: string, n: number, tenantId: string | null = null): EventEnvelope<ItemChanged> {
  return {
    id: uuidv7(),
    type: 'test.item.changed.v1',
    aggregateType: 'item',
    aggregateId,
    tenantId,
    occurredAt: new Date().toISOString(),
    data: { n },
  };
}

/** A schema with the outbox and inbox tables and an `effects` table handlers write to. */
export async function createOutboxSchema<DB>(db: Kysely<DB>, label = 'ob'): Promise<string> {
  const schema = uniqueName(label);
  await sql.raw(`CREATE SCHEMA "${schema}"; ${outboxTablesSql(schema)}`).execute(db);
  await sql.raw(`CREATE TABLE "${schema}".effects (event_id uuid NOT NULL, aggregate_id text NOT NULL, n integer NOT NULL)`).execute(db);
  return schema;
}

export async function countRows<DB>(db: Kysely<DB>, schema: string, table: string, where = 'true'): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(`"${schema}".${table}`)} WHERE ${sql.raw(where)}`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** Collects every message of `subjects` through a plain subscription (no inbox). */
export async function collect(bus: Bus, subjects: string[]): Promise<{ messages: DeliveredMessage[]; subscription: Subscription }> {
  const messages: DeliveredMessage[] = [];
  const subscription = await bus.subscribe({ durable: uniqueName('collector'), subjects }, (message) => {
    messages.push(message);
    return Promise.resolve();
  });
  return { messages, subscription };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` stops throwing, or rethrows its last error after `timeoutMs`. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(25);
    }
  }
}

/** Long enough for a delivery that is going to happen to have happened, on both adapters. */
export const QUIET_MS = 400;
