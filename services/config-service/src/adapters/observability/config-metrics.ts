import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The service's own Prometheus metrics (docs/observability.md), registered on the service's registry. */
export interface ConfigMetrics {
  /** Resolutions answered, by outcome (`ok`, `not_found`, `refused`, `error`) and cache (`hit`, `miss`). */
  readonly resolutions: Counter<'outcome' | 'cache'>;
  /** Time to resolve one node through the use case (access checks and cache included). */
  readonly resolutionSeconds: Histogram<'cache'>;
  /** State-changing requests by operation and outcome (`changed`, `unchanged`, the error code). */
  readonly changes: Counter<'operation' | 'outcome'>;
  /** Consumed events by type and outcome (`created`, `deleted`, `duplicate`, …, `retry`, `dead_letter`). */
  readonly inboxEvents: Counter<'type' | 'outcome'>;
  /** Change events applied to the resolution cache, by outcome (`ok`, `error`). */
  readonly cacheInvalidations: Counter<'outcome'>;
  /** Access-policy reloads by trigger (`start`, `event`, `timer`, `local`) and outcome. */
  readonly policyReloads: Counter<'trigger' | 'outcome'>;
  /** Rows in the outbox not yet published, and the age of the oldest (set on scrape from the relay). */
  readonly outboxPending: Gauge;
  readonly outboxOldestAgeSeconds: Gauge;
}

export function createConfigMetrics(registry: Registry, outboxLag?: () => Promise<{ pending: number; oldestAgeMs: number }>): ConfigMetrics {
  const registers = [registry];
  // A scrape must not fail because the database is down: the gauges then keep their last value.
  const readLag = (): Promise<{ pending: number; oldestAgeMs: number } | null> => (outboxLag?.() ?? Promise.resolve(null)).catch(() => null);
  return {
    resolutions: new Counter({
      name: 'config_resolutions_total',
      help: 'Configuration resolutions answered, by outcome and resolution-cache use.',
      labelNames: ['outcome', 'cache'],
      registers,
    }),
    resolutionSeconds: new Histogram({
      name: 'config_resolution_duration_seconds',
      help: 'Time to resolve one node (access checks and resolution cache included).',
      labelNames: ['cache'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    changes: new Counter({
      name: 'config_changes_total',
      help: 'State-changing requests by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      registers,
    }),
    inboxEvents: new Counter({
      name: 'config_inbox_events_total',
      help: 'Consumed events (tenant lifecycle) by type and outcome.',
      labelNames: ['type', 'outcome'],
      registers,
    }),
    cacheInvalidations: new Counter({
      name: 'config_cache_invalidations_total',
      help: 'Change events applied to the resolution cache, by outcome.',
      labelNames: ['outcome'],
      registers,
    }),
    policyReloads: new Counter({
      name: 'config_policy_reloads_total',
      help: 'Access-policy reloads by trigger and outcome.',
      labelNames: ['trigger', 'outcome'],
      registers,
    }),
    outboxPending: new Gauge({
      name: 'config_outbox_pending',
      help: 'Events in the outbox not yet published to the bus.',
      registers,
      async collect() {
        const current = await readLag();
        if (current !== null) this.set(current.pending);
      },
    }),
    outboxOldestAgeSeconds: new Gauge({
      name: 'config_outbox_oldest_age_seconds',
      help: 'Age of the oldest unpublished outbox event (0 when none).',
      registers,
      async collect() {
        const current = await readLag();
        if (current !== null) this.set(current.oldestAgeMs / 1000);
      },
    }),
  };
}
