import { PermanentHandlerError } from '@sms/bus';
import type { Bus, DeliveredMessage, Subscription, SubscriptionSpec } from '@sms/bus';
import { decodeEnvelope } from '@sms/outbox';
import type { Logger } from '@sms/logging';
import type { HandleTenantCreatedUseCase } from '../../application/handle-tenant-created.use-case.js';
import type { HandleTenantDeletedUseCase } from '../../application/handle-tenant-deleted.use-case.js';
import { TENANT_CREATED, TENANT_DELETED } from '../../application/tenant-events.js';
import type { ConfigErrorCode } from '../../domain/config-errors.js';
import type { ConfigMetrics } from '../observability/config-metrics.js';
import type { ConfigSubjects } from './subjects.js';

/** Durable consumer name of the tenant-events inbox on the bus. */
export const TENANT_EVENTS_DURABLE = 'config-service-tenant-events';

/** Failures that may succeed later (the placement region is created after the tenant, a concurrent change). */
const RETRYABLE: readonly ConfigErrorCode[] = ['CONFIG.PARENT_NOT_FOUND', 'CONFIG.VERSION_CONFLICT'];

export interface TenantEventsConsumerOptions {
  readonly bus: Bus;
  readonly subjects: ConfigSubjects;
  readonly created: HandleTenantCreatedUseCase;
  readonly deleted: HandleTenantDeletedUseCase;
  readonly metrics: ConfigMetrics;
  readonly logger: Logger;
  readonly delivery?: Omit<SubscriptionSpec, 'durable' | 'subjects'>;
}

/**
 * The inbox side of config-service: `tenant.created.v1` creates the tenant's node and
 * `tenant.deleted.v1` removes it. Each use case records the event id in the inbox table in the
 * transaction of its effect (`handleOnce` of @sms/outbox), so a redelivery changes nothing. A
 * malformed event, or one the domain refuses for good, is dead-lettered at once; a missing
 * placement parent is retried with the subscription's backoff.
 */
export function startTenantEventsConsumer(options: TenantEventsConsumerOptions): Promise<Subscription> {
  const { subjects } = options;
  const spec: SubscriptionSpec = {
    maxDeliver: 8,
    backoffMs: [1000, 5000, 30_000, 120_000],
    ...options.delivery,
    durable: TENANT_EVENTS_DURABLE,
    subjects: [subjects.of(TENANT_CREATED), subjects.of(TENANT_DELETED)],
  };
  return options.bus.subscribe(spec, (message) => handle(options, message));
}

async function handle(options: TenantEventsConsumerOptions, message: DeliveredMessage): Promise<void> {
  const decoded = decodeEnvelope(message.payload);
  if (!decoded.ok) {
    options.metrics.inboxEvents.inc({ type: 'unknown', outcome: 'dead_letter' });
    throw new PermanentHandlerError(`malformed event on ${message.subject}: ${decoded.error}`);
  }
  const envelope = decoded.value;
  const useCase = envelope.type === TENANT_CREATED ? options.created : envelope.type === TENANT_DELETED ? options.deleted : null;
  if (useCase === null) {
    options.metrics.inboxEvents.inc({ type: 'unknown', outcome: 'dead_letter' });
    throw new PermanentHandlerError(`unexpected event type ${envelope.type} on ${message.subject}`);
  }
  const result = await useCase.execute(envelope);
  const log = { eventId: envelope.id, eventType: envelope.type, attempt: message.deliveryAttempt };
  if (result.ok) {
    options.metrics.inboxEvents.inc({ type: envelope.type, outcome: result.value });
    options.logger.info({ ...log, outcome: result.value }, 'tenant event handled');
    return;
  }
  const retry = RETRYABLE.includes(result.error.code);
  options.metrics.inboxEvents.inc({ type: envelope.type, outcome: retry ? 'retry' : 'dead_letter' });
  options.logger.warn({ ...log, code: result.error.code, error: result.error.message }, retry ? 'tenant event will be retried' : 'tenant event dead-lettered');
  if (retry) throw new Error(`${result.error.code}: ${result.error.message}`);
  throw new PermanentHandlerError(`${result.error.code}: ${result.error.message}`);
}
