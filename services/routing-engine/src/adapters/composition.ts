import type { Bus, Subscription } from '@sms/bus';
import type { ReadinessCheck, ShutdownStep } from '@sms/http';
import type { Clock } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { RandomSource } from '../domain/routing-table.js';
import { ResolveRoute } from '../application/resolve-route.use-case.js';
import { RoutingProjection } from '../application/routing-projection.js';
import { startOpsEventsConsumer } from './bus/ops-events.consumer.js';
import { RoutingMetrics } from './observability/routing-metrics.js';
import { PostgresRoutingStateRepository } from './postgres/postgres-routing-state.repository.js';

/** Durable consumer name of the projection on the bus. */
export const PROJECTION_CONSUMER = 'routing-engine-projection';
/** How often each replica re-reads the stored state, to pick up events another replica consumed. */
export const DEFAULT_RELOAD_INTERVAL_MS = 5_000;

export interface RoutingEngineDependencies {
  readonly db: Kysely<unknown>;
  readonly schema: string;
  /** The role the projection reads and writes as (`<schema>_system`). */
  readonly systemRole: string;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Subject prefix of the consumed events ('' in production; tests isolate runs with one). */
  readonly subjectPrefix?: string;
  readonly durable?: string;
  /** 0 turns the periodic reload off. */
  readonly reloadIntervalMs?: number;
}

export interface RoutingEngineRuntime {
  readonly projection: RoutingProjection;
  readonly resolveRoute: ResolveRoute;
  readonly metrics: RoutingMetrics;
  readonly readiness: readonly ReadinessCheck[];
  readonly closers: readonly ShutdownStep[];
}

/**
 * Builds the engine on real adapters: loads the stored state (so a restarted instance answers as
 * before), then consumes operator-management's events and re-reads the stored state periodically.
 */
export async function startRoutingEngine(deps: RoutingEngineDependencies): Promise<RoutingEngineRuntime> {
  const repository = new PostgresRoutingStateRepository(deps.db, deps.schema, deps.systemRole);
  const projection = new RoutingProjection(repository);
  const metrics = new RoutingMetrics(deps.registry);
  const refreshGauges = (): void => {
    metrics.ruleSetVersion.set(projection.ruleSetVersion() ?? -1);
    metrics.tableLoaded.set(projection.isLoaded() ? 1 : 0);
  };

  await projection.reload();
  refreshGauges();
  deps.logger.info({ rule_set_version: projection.ruleSetVersion() }, 'routing state loaded from the database');

  const subscription: Subscription = await startOpsEventsConsumer({
    bus: deps.bus,
    projection,
    metrics,
    logger: deps.logger,
    durable: deps.durable ?? PROJECTION_CONSUMER,
    ...(deps.subjectPrefix === undefined ? {} : { subjectPrefix: deps.subjectPrefix }),
  });

  const interval = deps.reloadIntervalMs ?? DEFAULT_RELOAD_INTERVAL_MS;
  let reloading: Promise<void> | null = null;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (reloading !== null) return;
          reloading = projection
            .reload()
            .then(refreshGauges)
            .catch((error: unknown) => {
              metrics.reloadFailures.inc();
              deps.logger.warn({ err: error }, 'routing state reload failed; serving the table in memory');
            })
            .finally(() => {
              reloading = null;
            });
        }, interval)
      : null;
  timer?.unref();

  return {
    projection,
    resolveRoute: new ResolveRoute({ tables: projection, clock: deps.clock, random: deps.random }),
    metrics,
    readiness: [
      {
        name: 'routing-table',
        // Not critical: before operator-management publishes its first rule set there is nothing to
        // route, and taking the instance out of service would not help (answers are 503 meanwhile).
        critical: false,
        check: () =>
          projection.isLoaded() ? Promise.resolve() : Promise.reject(new Error('no routing rule set received yet')),
      },
    ],
    closers: [
      {
        name: 'routing-engine ops events consumer',
        close: async () => {
          if (timer !== null) clearInterval(timer);
          await subscription.stop();
          await reloading;
        },
      },
    ],
  };
}
