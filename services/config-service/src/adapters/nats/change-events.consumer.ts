import { PermanentHandlerError } from '@sms/bus';
import type { Bus, Subscription } from '@sms/bus';
import { decodeEnvelope } from '@sms/outbox';
import type { Logger } from '@sms/logging';
import type { InvalidateResolutionCacheUseCase } from '../../application/invalidate-resolution-cache.use-case.js';
import { CONFIG_EVENT_TYPES } from '../../domain/config-events.js';
import type { ConfigMetrics } from '../observability/config-metrics.js';
import type { ConfigSubjects } from './subjects.js';

/** Durable consumer name of the resolution-cache invalidation on the bus. */
export const CHANGE_EVENTS_DURABLE = 'config-service-resolution-cache';

export interface ChangeEventsConsumerOptions {
  readonly bus: Bus;
  readonly subjects: ConfigSubjects;
  readonly invalidate: InvalidateResolutionCacheUseCase;
  readonly metrics: ConfigMetrics;
  readonly logger: Logger;
}

/**
 * Applies the service's own change events to the resolution cache (shared by the replicas in
 * production, so one shared durable suffices) after the replica that made the change already
 * invalidated it directly: this covers a crash between the commit and that direct invalidation.
 */
export function startChangeEventsConsumer(options: ChangeEventsConsumerOptions): Promise<Subscription> {
  return options.bus.subscribe(
    { durable: CHANGE_EVENTS_DURABLE, subjects: [options.subjects.ownEvents], maxDeliver: 5, backoffMs: [200, 1000, 5000] },
    async (message) => {
      const decoded = decodeEnvelope(message.payload);
      if (!decoded.ok) throw new PermanentHandlerError(`malformed event on ${message.subject}: ${decoded.error}`);
      try {
        await options.invalidate.execute(decoded.value);
        options.metrics.cacheInvalidations.inc({ outcome: 'ok' });
      } catch (error) {
        options.metrics.cacheInvalidations.inc({ outcome: 'error' });
        options.logger.warn({ eventId: decoded.value.id, error: (error as Error).message }, 'resolution cache invalidation failed; will retry');
        throw error;
      }
    },
  );
}

/** Consumer name of the access-policy reload (one fan-out consumer per replica). */
export const POLICY_CHANGES_DURABLE = 'config-service-access-policy';

export interface PolicyChangeListenerOptions {
  readonly bus: Bus;
  readonly subjects: ConfigSubjects;
  /** Reloads this replica's access policy. */
  readonly onPolicyChanged: () => Promise<void>;
}

/**
 * Reloads the access policy of THIS replica on `config.policy.changed.v1`. The policy lives in each
 * replica's memory, so every replica must see every change: a fan-out subscription, not the shared
 * durable above (with which one replica reloaded and the others waited for their periodic reload).
 * A replica starting up loads the policy anyway, so it needs no events from before it subscribed.
 */
export function startPolicyChangeListener(options: PolicyChangeListenerOptions): Promise<Subscription> {
  return options.bus.subscribe(
    { durable: POLICY_CHANGES_DURABLE, subjects: [options.subjects.of(CONFIG_EVENT_TYPES.policyChanged)], fanOut: true, maxDeliver: 3, backoffMs: [200, 1000] },
    () => options.onPolicyChanged(),
  );
}
