// Composition of the orchestrator: adapters wired to the use cases, the outbox relay, the
// consumers and the jobs. `service.ts` builds it from the runtime's context; the integration tests
// build it on their own databases, streams and key prefixes.
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Bus, Subscription } from '@sms/bus';
import type { Cache } from '@sms/cache';
import { tryWithAdvisoryLock } from '@sms/db';
import type { AdvisoryLockOutcome } from '@sms/db';
import type { ReadinessCheck } from '@sms/http';
import type { Clock, IdGenerator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { ObjectStore } from '@sms/object-store';
import { ApplyDeliveryStatus } from './application/apply-delivery-status.use-case.js';
import { GetMessage } from './application/get-message.use-case.js';
import type { DueRetriesReport } from './application/process-due-retries.use-case.js';
import { ProcessDueRetries } from './application/process-due-retries.use-case.js';
import { ProcessMessage } from './application/process-message.use-case.js';
import { PurgeIdempotencyKeys } from './application/purge-idempotency-keys.use-case.js';
import type { IdempotencyStore } from './application/ports/idempotency.store.port.js';
import type { RandomSource } from './application/ports/random-source.port.js';
import type { RateLimiter } from './application/ports/rate-limiter.port.js';
import type { Router } from './application/ports/router.port.js';
import type { SenderLeaseChecker } from './application/ports/sender-lease-checker.port.js';
import type { Stopwatch } from './application/ports/stopwatch.port.js';
import type { TenantSettings } from './application/ports/tenant-settings.port.js';
import { SubmitBulk } from './application/submit-bulk.use-case.js';
import { SubmitMessage } from './application/submit-message.use-case.js';
import type { CallbackUrlPolicy } from './domain/callback-url.js';
import { ORCHESTRATOR_EVENTS, subjectForEventType } from './domain/message-events.js';
import type { RetryPolicy } from './domain/retry-policy.js';
import { DELIVERY_STATUS_EVENT, startDeliveryStatusConsumer } from './adapters/bus/delivery-status.consumer.js';
import { startPipelineTrigger } from './adapters/bus/pipeline-trigger.consumer.js';
import { IntervalJob } from './adapters/jobs/interval-job.js';
import { PartitionMaintenance } from './adapters/jobs/partition-maintenance.job.js';
import type { MaintenanceReport } from './adapters/jobs/partition-maintenance.job.js';
import {
  instrumentBus,
  instrumentRouter,
  instrumentSenderLeases,
  instrumentUnitOfWork,
  TracingPipelineMetrics,
} from './adapters/observability/instrumented-ports.js';
import { OrchestratorMetrics } from './adapters/observability/orchestrator-metrics.js';
import { ConcurrentOutboxRelay } from '@sms/outbox';
import type { OrchDatabase } from './adapters/postgres/orch-tables.js';
import { PostgresDueMessageFinder } from './adapters/postgres/postgres-due-message.finder.js';
import { PostgresIdempotencyStore } from './adapters/postgres/postgres-idempotency.store.js';
import { PostgresUnitOfWork } from './adapters/postgres/postgres-unit-of-work.js';
import { CachedIdempotencyStore } from './adapters/redis/cached-idempotency.store.js';

export interface OrchestratorSettings {
  readonly retryPolicy: RetryPolicy;
  readonly callbackUrlPolicy: CallbackUrlPolicy;
  /** Pipeline workers (subscriptions sharing the accepted-event durable). */
  readonly pipelineConcurrency: number;
  readonly retrySweepIntervalMs: number;
  /** Messages per sweep. Default 500. */
  readonly retrySweepBatch?: number;
  readonly idempotencyPurgeIntervalMs: number;
  /** Outbox relay poll interval when the outbox is drained. Default 20 ms. */
  readonly relayPollIntervalMs?: number;
  /** Abandoned-claim timeout of the idempotency store. Default 30 s. */
  readonly idempotencyInProgressTimeoutMs?: number;
  /** A message still `accepted` this long without a scheduled retry is run by the sweeper. Default 60 s. */
  readonly orphanAfterMs?: number;
  /** Partition maintenance of orch.sms_messages; off when absent (or without an object store). */
  readonly partitions?: {
    readonly intervalMs: number;
    readonly aheadDays: number;
    readonly retentionDays: number;
    readonly archivePrefix: string;
  };
}

export interface OrchestratorDependencies {
  readonly db: Kysely<OrchDatabase>;
  readonly schema: string;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  readonly bus: Bus;
  /** Prepended (with a dot) to every subject: tests use a unique one; production none. */
  readonly subjectPrefix?: string;
  /** The Redis fast path of idempotency (`orch:` cache, keys `submit-idem:*`); Postgres alone when absent. */
  readonly idempotencyCache?: Cache;
  readonly rateLimiter: RateLimiter;
  readonly tenantSettings: TenantSettings;
  readonly senderLeases: SenderLeaseChecker;
  readonly router: Router;
  readonly clock: Clock;
  /** UUIDv7 ids (message ids are the partition key); build them from `clock` so both agree. */
  readonly ids: IdGenerator;
  readonly random?: RandomSource;
  readonly stopwatch?: Stopwatch;
  readonly logger: Logger;
  /** Where archived partitions go (Parquet); partition maintenance runs only with one. */
  readonly objectStore?: ObjectStore;
  readonly registry: Registry;
  /** The metrics, when adapters built before the orchestrator (the Redis rate limiter) record into them too. */
  readonly metrics?: OrchestratorMetrics;
  readonly settings: OrchestratorSettings;
}

export interface Orchestrator {
  readonly submitMessage: SubmitMessage;
  readonly submitBulk: SubmitBulk;
  readonly getMessage: GetMessage;
  readonly processMessage: ProcessMessage;
  readonly applyDeliveryStatus: ApplyDeliveryStatus;
  readonly metrics: OrchestratorMetrics;
  readonly relay: ConcurrentOutboxRelay<OrchDatabase>;
  /** The subject of each event type the orchestrator produces or consumes (with the prefix). */
  readonly subjects: { readonly accepted: string; readonly statusChanged: string; readonly deadLettered: string; readonly outbound: string; readonly deliveryStatus: string };
  /**
   * One sweep of due retries (what the sweeper job runs). Like the purge, it runs once per
   * cluster: under a PostgreSQL advisory lock, `skipped` when another replica holds it.
   */
  sweepRetries(): Promise<AdvisoryLockOutcome<DueRetriesReport>>;
  /** One run of partition maintenance (null when it is not configured; `ran: false` when another replica holds its own lock). */
  maintainPartitions(): Promise<MaintenanceReport | null>;
  /** One purge of idempotency keys older than 48 h. */
  purgeIdempotencyKeys(): Promise<AdvisoryLockOutcome<{ readonly cutoff: Date; readonly purged: number }>>;
  /** Dependency checks for `/health/ready` (Redis is non-critical: degraded, never down). */
  readiness(): ReadinessCheck[];
  /** Starts the relay, the consumers and the jobs. */
  start(): Promise<void>;
  /** Stops them (consumers and jobs first, then the relay), waiting for work in progress. */
  stop(): Promise<void>;
}

const performanceStopwatch: Stopwatch = {
  start() {
    const started = performance.now();
    return () => (performance.now() - started) / 1000;
  },
};

export function createOrchestrator(deps: OrchestratorDependencies): Orchestrator {
  const { db, schema, roles, clock, ids, logger, settings } = deps;
  const prefix = deps.subjectPrefix ? `${deps.subjectPrefix}.` : '';
  const subjects = {
    accepted: prefix + ORCHESTRATOR_EVENTS.accepted.subject,
    statusChanged: prefix + ORCHESTRATOR_EVENTS.statusChanged.subject,
    deadLettered: prefix + ORCHESTRATOR_EVENTS.deadLettered.subject,
    outbound: prefix + ORCHESTRATOR_EVENTS.outboundRequested.subject,
    deliveryStatus: prefix + DELIVERY_STATUS_EVENT.subject,
  };

  const metrics = deps.metrics ?? new OrchestratorMetrics(deps.registry);

  const postgresIdempotency = new PostgresIdempotencyStore({
    db,
    schema,
    appRole: roles.appRole,
    systemRole: roles.systemRole,
    ...(settings.idempotencyInProgressTimeoutMs !== undefined ? { inProgressTimeoutMs: settings.idempotencyInProgressTimeoutMs } : {}),
  });
  const cachedIdempotency =
    deps.idempotencyCache === undefined
      ? undefined
      : new CachedIdempotencyStore({ durable: postgresIdempotency, cache: deps.idempotencyCache, metrics, logger });
  const idempotency: IdempotencyStore = cachedIdempotency ?? postgresIdempotency;
  const unitOfWork = instrumentUnitOfWork(
    new PostgresUnitOfWork({
      db,
      schema,
      appRole: roles.appRole,
      idempotency: postgresIdempotency,
      clock,
      ...(cachedIdempotency ? { onIdempotencyCommitted: cachedIdempotency.rememberCompleted } : {}),
    }),
    metrics,
  );

  const submitDeps = {
    unitOfWork,
    idempotency,
    tenantSettings: deps.tenantSettings,
    rateLimiter: deps.rateLimiter,
    clock,
    ids,
    callbackUrlPolicy: settings.callbackUrlPolicy,
  };
  const processMessage = new ProcessMessage({
    unitOfWork,
    senderLeases: instrumentSenderLeases(deps.senderLeases, metrics),
    router: instrumentRouter(deps.router, metrics),
    metrics: new TracingPipelineMetrics(metrics),
    stopwatch: deps.stopwatch ?? performanceStopwatch,
    random: deps.random ?? { next: () => Math.random() },
    clock,
    ids,
    retryPolicy: settings.retryPolicy,
  });
  const applyDeliveryStatus = new ApplyDeliveryStatus({ unitOfWork, clock, ids });
  const finder = new PostgresDueMessageFinder({
    db,
    schema,
    systemRole: roles.systemRole,
    ...(settings.orphanAfterMs !== undefined ? { orphanAfterMs: settings.orphanAfterMs } : {}),
  });
  const dueRetries = new ProcessDueRetries({ finder, processMessage, clock });
  const purge = new PurgeIdempotencyKeys({ purger: postgresIdempotency, clock });

  const relay = new ConcurrentOutboxRelay<OrchDatabase>({
    db,
    schema,
    bus: instrumentBus(deps.bus, metrics),
    subjectFor: (envelope) => {
      const subject = subjectForEventType(envelope.type);
      if (subject === null) throw new Error(`the orchestrator does not publish events of type ${envelope.type}`);
      return prefix + subject;
    },
    role: roles.systemRole,
    clock,
    logger: logger.child({ component: 'outbox-relay' }),
    ...(settings.relayPollIntervalMs !== undefined ? { pollIntervalMs: settings.relayPollIntervalMs } : {}),
  });
  metrics.attachOutbox(() => relay.lag());

  // Every replica schedules the jobs; the advisory lock lets one of them do each run (the
  // database is the service's own, so the lock names need only the schema and the job).
  const oncePerCluster = <T>(job: string, work: () => Promise<T>) => () => tryWithAdvisoryLock(db, `sms-orchestrator:${schema}:${job}`, work);

  const sweepBatch = settings.retrySweepBatch ?? 500;
  const sweepDueRetries = async (): Promise<DueRetriesReport> => {
    const report = await dueRetries.execute({ limit: sweepBatch });
    for (const failure of report.failures) {
      logger.error({ err: failure.error, messageId: failure.ref.messageId, tenantId: failure.ref.tenantId }, 'pipeline retry failed');
    }
    if (report.found > 0) logger.debug({ found: report.found, outcomes: report.outcomes }, 'retry sweep');
    return report;
  };
  const purgeExpiredKeys = async () => {
    const result = await purge.execute();
    if (result.purged > 0) logger.info({ purged: result.purged, cutoff: result.cutoff.toISOString() }, 'idempotency keys purged');
    return result;
  };
  const partitions =
    settings.partitions !== undefined && deps.objectStore !== undefined
      ? new PartitionMaintenance({
          db,
          schema,
          systemRole: roles.systemRole,
          objectStore: deps.objectStore,
          clock,
          logger: logger.child({ component: 'partition-maintenance' }),
          aheadDays: settings.partitions.aheadDays,
          retentionDays: settings.partitions.retentionDays,
          archivePrefix: settings.partitions.archivePrefix,
        })
      : undefined;
  const sweepRetries = oncePerCluster('retry-sweeper', sweepDueRetries);
  const purgeIdempotencyKeys = oncePerCluster('idempotency-purge', purgeExpiredKeys);
  // PartitionMaintenance takes an advisory lock of its own (it works on the locked connection).
  const maintainPartitions = async () => (partitions ? partitions.run() : null);
  const jobs = [
    new IntervalJob('retry-sweeper', settings.retrySweepIntervalMs, sweepRetries, logger),
    new IntervalJob('idempotency-purge', settings.idempotencyPurgeIntervalMs, purgeIdempotencyKeys, logger),
  ];
  const partitionJob = settings.partitions !== undefined && partitions ? new IntervalJob('partition-maintenance', settings.partitions.intervalMs, maintainPartitions, logger) : undefined;
  let subscriptions: Subscription[] = [];

  return {
    submitMessage: new SubmitMessage(submitDeps),
    submitBulk: new SubmitBulk(submitDeps),
    getMessage: new GetMessage({ unitOfWork }),
    processMessage,
    applyDeliveryStatus,
    metrics,
    relay,
    subjects,
    sweepRetries,
    purgeIdempotencyKeys,
    maintainPartitions,
    readiness() {
      const checks: ReadinessCheck[] = [];
      if (deps.idempotencyCache !== undefined) {
        const cache = deps.idempotencyCache;
        checks.push({ name: 'redis', critical: false, check: () => cache.ping() });
      }
      return checks;
    },
    async start() {
      relay.start();
      try {
        subscriptions.push(
          ...(await startPipelineTrigger({ bus: deps.bus, subject: subjects.accepted, processMessage, logger, concurrency: settings.pipelineConcurrency })),
        );
        subscriptions.push(await startDeliveryStatusConsumer({ bus: deps.bus, subject: subjects.deliveryStatus, applyDeliveryStatus, logger }));
      } catch (error) {
        await Promise.allSettled(subscriptions.map((s) => s.stop()));
        subscriptions = [];
        await relay.stop();
        throw error;
      }
      for (const job of jobs) job.start();
      // At start too: the partitions of the coming days must exist before traffic needs them.
      partitionJob?.start({ runNow: true });
    },
    async stop() {
      await Promise.allSettled([...subscriptions.map((s) => s.stop()), ...jobs.map((j) => j.stop()), partitionJob?.stop()]);
      subscriptions = [];
      await relay.stop();
    },
  };
}

/** UUIDv7 ids whose time is the clock's (message ids carry their partition's time). */
export { clockUuidv7 } from './adapters/postgres/message-id-time.js';
