import { PermanentHandlerError } from '@sms/bus';
import type { Bus, Subscription } from '@sms/bus';
import type { EventEnvelope } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import { createInboxConsumer } from '@sms/outbox';
import type { Kysely } from 'kysely';
import type { Actor, NumberRecord, RecallNumber } from '../../index.js';

/** The events that recall every holding of a tenant, and the recall reason each one records. */
export const TENANT_RECALL_EVENTS = {
  'compliance.tenant.suspended.v1': 'tenant_suspended',
  'tenant.deleted.v1': 'tenant_deleted',
} as const;

/** Who recalls: the consumer acts as the system, never as a tenant. */
export const TENANT_RECALL_ACTOR: Actor = { role: 'system', id: 'numbering-tenant-recall' };

/** Progress after each batch (a test hook: throwing here simulates a crash between two batches). */
export interface TenantRecallBatch {
  readonly eventId: string;
  readonly tenantId: string;
  readonly batch: number;
  readonly recalled: number;
}

export interface TenantRecallConsumerOptions<DB> {
  readonly db: Kysely<DB>;
  /** Schema of the service's `inbox` table. */
  readonly schema: string;
  readonly bus: Bus;
  /** Durable name and inbox consumer: replicas share it, so each event is handled once. */
  readonly consumer: string;
  /** Prepended to each event type to make its subject (empty in production; tests isolate runs with it). */
  readonly subjectPrefix?: string;
  /** A tenant's reservations and leases after a value (system scope: the repository's keyset page). */
  readonly listHeld: (query: { readonly tenantId: string; readonly afterValue: string | null; readonly limit: number }) => Promise<readonly NumberRecord[]>;
  /** The system actor's RecallNumber use case. */
  readonly recall: RecallNumber;
  readonly logger: Logger;
  readonly batchSize?: number;
  readonly onBatch?: (batch: TenantRecallBatch) => void | Promise<void>;
}

const DEFAULT_BATCH = 100;

/**
 * Recalls every reservation and lease of a suspended or deleted tenant. The inbox records the event in a
 * transaction that commits only after the last batch, so a crash mid-way leaves the event unrecorded and the
 * bus redelivers it; the redelivery pages again from the start and finds only what is still held (a
 * recalled number is no longer held, and its RecallNumber idempotency key, `tenant-recall:<event id>:<number>`,
 * replays the stored result if a page still shows it). Each recall is its own RecallNumber transaction.
 */
export function subscribeTenantRecall<DB>(options: TenantRecallConsumerOptions<DB>): Promise<Subscription> {
  const prefix = options.subjectPrefix ?? '';
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  return createInboxConsumer<DB>({
    db: options.db,
    schema: options.schema,
    bus: options.bus,
    consumer: options.consumer,
    subjects: Object.keys(TENANT_RECALL_EVENTS).map((type) => `${prefix}${type}`),
    delivery: { backoffMs: [1000, 5000, 30_000], maxDeliver: 20 },
    handle: (envelope) => recallTenant(options, envelope, batchSize),
  });
}

async function recallTenant<DB>(options: TenantRecallConsumerOptions<DB>, envelope: EventEnvelope, batchSize: number): Promise<void> {
  const reason = reasonOf(envelope.type);
  const tenantId = tenantOf(envelope);
  const log = options.logger.child({ eventId: envelope.id, eventType: envelope.type, tenantId });
  let after: string | null = null;
  let batch = 0;
  let failures = 0;
  for (;;) {
    const page = await options.listHeld({ tenantId, afterValue: after, limit: batchSize });
    if (page.length === 0) break;
    let recalled = 0;
    for (const number of page) {
      const result = await options.recall.execute({
        actor: TENANT_RECALL_ACTOR,
        idempotencyKey: `tenant-recall:${envelope.id}:${number.value}`,
        number: number.value,
        reason,
        note: `${envelope.type} ${envelope.id}`,
      });
      if (result.ok) recalled += 1;
      else {
        // A concurrent change (released, expired) moved it; the final check below decides whether to retry.
        failures += 1;
        log.warn({ number: number.value, error: result.error.code }, 'tenant recall skipped a number');
      }
    }
    batch += 1;
    await options.onBatch?.({ eventId: envelope.id, tenantId, batch, recalled });
    after = page[page.length - 1]?.value ?? null;
    if (page.length < batchSize) break;
  }
  if (failures > 0 && (await options.listHeld({ tenantId, afterValue: null, limit: 1 })).length > 0)
    throw new Error(`tenant ${tenantId} still holds numbers after recall (${failures} failed); retrying`);
  log.info({ batches: batch }, 'tenant holdings recalled');
}

function reasonOf(type: string): (typeof TENANT_RECALL_EVENTS)[keyof typeof TENANT_RECALL_EVENTS] {
  const key = Object.keys(TENANT_RECALL_EVENTS).find((name) => type === name) as keyof typeof TENANT_RECALL_EVENTS | undefined;
  if (key === undefined) throw new PermanentHandlerError(`unexpected event type ${type}`);
  return TENANT_RECALL_EVENTS[key];
}

/** The data is `{ tenantId }` (more fields are ignored); the envelope's tenant, if set, must agree. */
function tenantOf(envelope: EventEnvelope): string {
  const payload = envelope.data;
  const fromPayload =
    typeof payload === 'object' && payload !== null && 'tenantId' in payload ? payload.tenantId : undefined;
  if (typeof fromPayload !== 'string' || fromPayload.length === 0)
    throw new PermanentHandlerError(`event ${envelope.id} has no data.tenantId`);
  if (envelope.tenantId !== null && envelope.tenantId !== fromPayload)
    throw new PermanentHandlerError(`event ${envelope.id} names two tenants`);
  return fromPayload;
}
