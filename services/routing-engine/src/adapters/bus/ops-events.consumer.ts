import { PermanentHandlerError } from '@sms/bus';
import type { Bus, Subscription } from '@sms/bus';
import type { Logger } from '@sms/logging';
import { decodeEnvelope } from '@sms/outbox';
import type { ApplyOutcome, RoutingProjection } from '../../application/routing-projection.js';
import type { RoutingMetrics } from '../observability/routing-metrics.js';
import { CONSUMED_EVENT_TYPES, parseOpsEvent } from './ops-events.js';
import type { OpsChange } from './ops-events.js';

/** Attempts before an event that keeps failing (not a malformed one) is dead-lettered: about 24 h. */
export const MAX_DELIVER = 2_880;

export interface OpsEventsConsumerOptions {
  readonly bus: Bus;
  readonly projection: RoutingProjection;
  readonly metrics: RoutingMetrics;
  readonly logger: Logger;
  /** Durable consumer name; replicas share it (each event reaches one replica, the others reload). */
  readonly durable: string;
  /** Put before each event type to make its subject (tests isolate runs this way); '' in production. */
  readonly subjectPrefix?: string;
}

/**
 * Consumes operator-management's events into the projection. No inbox table: the projection
 * replaces by version (rule set, operator) or `changedAt` (health), so a redelivered or repeated
 * event is a no-op. A malformed event is dead-lettered at once; a database fault makes the bus
 * retry with backoff (memory already follows the change meanwhile).
 */
export function startOpsEventsConsumer(options: OpsEventsConsumerOptions): Promise<Subscription> {
  const prefix = options.subjectPrefix ? `${options.subjectPrefix}.` : '';
  return options.bus.subscribe(
    {
      durable: options.durable,
      subjects: CONSUMED_EVENT_TYPES.map((type) => `${prefix}${type}`),
      // A change must not be dropped because the database was down for a while: keep retrying
      // (every 30 s after the first two) for about a day before dead-lettering.
      maxDeliver: MAX_DELIVER,
      backoffMs: [1_000, 5_000, 30_000],
    },
    async (message) => {
      const decoded = decodeEnvelope(message.payload);
      if (!decoded.ok) {
        options.metrics.events.inc({ type: 'unknown', outcome: 'rejected' });
        throw new PermanentHandlerError(`malformed event on ${message.subject}: ${decoded.error}`);
      }
      const envelope = decoded.value;
      const parsed = parseOpsEvent(envelope.type, envelope.data);
      if (!parsed.ok) {
        options.metrics.events.inc({ type: envelope.type, outcome: 'rejected' });
        throw new PermanentHandlerError(`event ${envelope.id} (${envelope.type}) rejected: ${parsed.reason}`);
      }
      const outcome = await apply(options.projection, parsed.change);
      options.metrics.events.inc({ type: envelope.type, outcome });
      options.metrics.ruleSetVersion.set(options.projection.ruleSetVersion() ?? -1);
      options.metrics.tableLoaded.set(options.projection.isLoaded() ? 1 : 0);
      options.logger.info({ event_id: envelope.id, event_type: envelope.type, outcome }, 'routing state event handled');
    },
  );
}

function apply(projection: RoutingProjection, change: OpsChange): Promise<ApplyOutcome> {
  switch (change.kind) {
    case 'rule-set':
      return projection.applyRuleSet(change.ruleSet);
    case 'operator':
      return projection.applyOperator(change.operator);
    case 'health':
      return projection.applyHealth(change.health);
  }
}
