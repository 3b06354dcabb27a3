import { ServerCredentials } from '@grpc/grpc-js';
import type { Server } from '@grpc/grpc-js';
import type { Kysely } from 'kysely';
import type { JwtVerifier } from '@sms/auth';
import type { Cache } from '@sms/cache';
import type { Bus, Subscription } from '@sms/bus';
import type { Database } from '@sms/db';
import type { ReadinessCheck, ShutdownStep } from '@sms/http';
import type { Clock, EventEnvelope, IdGenerator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import { OutboxRelay } from '@sms/outbox';
import type { ObjectStore } from '@sms/object-store';
import type { Registry } from 'prom-client';
import { defaultAnomalyThresholds, ExpireReservationOnTimer, TenantAnomalyMonitor } from '../index.js';
import type { Actor, AnomalyThresholds, LeaseCache, NumberingPolicy, OperatorKeyring, ReservationTimer } from '../index.js';
import { CacheReservationTimers } from '../adapters/cache/cache-reservation.timers.js';
import { cachingVerifier } from '../adapters/auth/caching-token.verifier.js';
import { createNumberingGrpcServer, listenGrpc, shutdownGrpc } from '../adapters/grpc/numbering-grpc.server.js';
import type { NumberingHttpRuntime } from '../adapters/http/numbering-routes.js';
import { subscribeLeaseCacheInvalidation } from '../adapters/nats/lease-cache-invalidation.consumer.js';
import { subscribeTenantRecall, TENANT_RECALL_ACTOR } from '../adapters/nats/tenant-recall.consumer.js';
import { NumberingMetrics } from '../adapters/observability/numbering-metrics.js';
import { standaloneRunner, SYSTEM_SCOPE } from '../adapters/postgres/numbering-scope.js';
import type { NumberingRoles } from '../adapters/postgres/numbering-scope.js';
import type { NumberingTables } from '../adapters/postgres/numbering-tables.js';
import { PostgresCatalogQueries, PostgresInventoryGauges } from '../adapters/postgres/postgres-catalog.queries.js';
import { PostgresNumberingStore } from '../adapters/postgres/postgres-numbering.store.js';
import { PostgresJobScheduler } from '../adapters/postgres/postgres-job.scheduler.js';
import { PostgresIdempotencyStore } from '../adapters/postgres/postgres-idempotency.store.js';
import { createIdempotencyPurgeJob, createNumberingJobs } from './numbering-jobs.js';
import { createRegulatorExport } from './numbering-regulator-export.js';
import type { RegulatorExportRuntime } from './numbering-regulator-export.js';
import type { RegulatorExportSigner } from '../index.js';
import { createNumberingUseCases } from './numbering-use-cases.js';
import type { NumberingUseCases } from './numbering-use-cases.js';

/** A lease cache the service owns: Redis (ping for readiness, close at shutdown) or memory. */
export type ManagedLeaseCache = LeaseCache & { readonly ping?: () => Promise<void>; readonly close?: () => Promise<void> };

export interface StartNumberingOptions {
  /** The service's pool, connected as the schema owner (it `SET ROLE`s per transaction). */
  readonly database: Database<unknown>;
  readonly schema: string;
  readonly roles: NumberingRoles;
  readonly bus: Bus;
  readonly leaseCache: ManagedLeaseCache;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly registry?: Registry;
  readonly verifier: JwtVerifier;
  readonly policy: NumberingPolicy;
  readonly keyring: OperatorKeyring;
  /** Prepended to every subject published and consumed (tests isolate runs with it; production: none). */
  readonly subjectPrefix?: string;
  /** The gRPC listener; null to start none (the embedded platform may leave it to a single instance). */
  readonly grpc: {
    readonly host: string;
    readonly port: number;
    readonly credentials?: ServerCredentials;
    /** Client-certificate common names allowed to call (mutual TLS); unset: any client the handshake accepted. */
    readonly allowedClients?: ReadonlySet<string>;
    readonly graceMs: number;
  } | null;
  readonly relayPollIntervalMs?: number;
  /**
   * Idempotency keys: how long a key replays its first answer (default 48 h), and the purge job deleting
   * keys past that window (batch size, interval).
   */
  readonly idempotency?: { readonly retentionMs?: number; readonly purgeBatchSize?: number; readonly purgeIntervalMs?: number };
  /** Start the scheduled jobs' timers (default true; tests drive `scheduler.runOnce` instead). */
  readonly runJobs?: boolean;
  /** Holdings recalled per page by the tenant recall consumer (default 100). */
  readonly recallBatchSize?: number;
  /** The monthly regulator export: where it writes (resolved on first use) and what signs its manifest. */
  readonly regulatorExport: {
    readonly objectStore: () => ObjectStore;
    readonly signer: RegulatorExportSigner;
    /** Default 7. */
    readonly retentionYears?: number;
  };
  /**
   * A cache whose expiry notifications end reservations at their TTL (Redis keyspace events in production,
   * the memory cache in embedded mode); absent: the safety-net job alone expires them (within its minute).
   */
  readonly expiryCache?: Cache;
  /** How often to try again to subscribe to the expiry events when the cache refused (default 30 s). */
  readonly expiryEventsRetryMs?: number;
  /** Thresholds of the anomaly signals (default: domain/tenant-anomaly.ts). */
  readonly anomalyThresholds?: AnomalyThresholds;
  /** This deployment's region: number changes are fenced by range ownership (docs/adr/0004). Unset: no fence. */
  readonly region?: string;
}

/** The actor of the reservation TTL timer path (audit rows name it; the safety net is `numbering-scheduler`). */
export const RESERVATION_TIMER_ACTOR: Actor = { role: 'system', id: 'numbering-reservation-timer' };

/** A started numbering-service: what its HTTP routes, tests and tools use, and what to check and close. */
export interface NumberingRuntime {
  readonly useCases: NumberingUseCases;
  readonly http: NumberingHttpRuntime;
  readonly metrics: NumberingMetrics;
  readonly relay: OutboxRelay<NumberingTables>;
  /** The reservation-expiry, quarantine and lease-renewal jobs (composition/numbering-jobs.ts). */
  readonly scheduler: PostgresJobScheduler;
  /** The monthly regulator export (its job is one of the scheduler's). */
  readonly regulatorExport: RegulatorExportRuntime;
  /** Reservation TTL timers on the expiry cache (subscribed, or retrying until it can be); null without one. */
  readonly reservationTimers: CacheReservationTimers | null;
  /** The anomaly-signal monitor (`flush` waits for the signals being written). */
  readonly anomalyMonitor: TenantAnomalyMonitor;
  readonly grpcServer: Server | null;
  /** The bound gRPC port (the configured one, or the one picked for port 0); null without a listener. */
  readonly grpcPort: number | null;
  readonly readiness: readonly ReadinessCheck[];
  /** In order: gRPC listener (drains), scheduler, tenant recall consumer, cache-invalidation consumer, outbox relay, lease cache. */
  readonly closers: readonly ShutdownStep[];
}

const OVERDUE_GRACE_MS = 10 * 60_000;

/**
 * Wires numbering-service by hand: the Postgres adapters in the caller's scope, the use cases, the outbox
 * relay (subject = prefix + event type, ordered per number), the lease-cache invalidation consumer, the
 * metrics, and the gRPC server. The HTTP routes are registered separately (they need no infrastructure).
 */
export async function startNumbering(options: StartNumberingOptions): Promise<NumberingRuntime> {
  const { schema, roles, bus, leaseCache, clock, ids, logger, policy, keyring } = options;
  // Every message asks ValidateLease with the same service token: verify each token once a minute, not per
  // call (by wall time, like the token expiry itself).
  const verifier = cachingVerifier(options.verifier);
  const prefix = options.subjectPrefix ?? '';
  // The pool is shared by the whole service; this module's queries see it through the numbering tables.
  const db = options.database.db as unknown as Kysely<NumberingTables>;
  const idempotency = options.idempotency ?? {};
  const idempotencyWindow = idempotency.retentionMs === undefined ? {} : { windowMs: idempotency.retentionMs };
  const store = new PostgresNumberingStore({
    db,
    schema,
    roles,
    clock,
    idempotency: idempotencyWindow,
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  const metrics = new NumberingMetrics(options.registry);
  const anomalyMonitor = new TenantAnomalyMonitor({
    unitOfWork: store.scoped(SYSTEM_SCOPE).unitOfWork,
    clock,
    ids,
    thresholds: options.anomalyThresholds ?? defaultAnomalyThresholds,
    onSignal: (anomaly) => {
      metrics.recordAnomalySignal(anomaly.rules);
      logger.warn({ tenantId: anomaly.tenantId, rules: anomaly.rules, attempts: anomaly.attempts }, 'numbering anomaly signal published');
    },
    onPublishFailed: (error, anomaly) => logger.error({ err: error, tenantId: anomaly.tenantId }, 'numbering anomaly signal lost'),
  });
  const timers = options.expiryCache === undefined ? null : new CacheReservationTimers(options.expiryCache, clock);
  const useCases = createNumberingUseCases({
    ports: (scope) => store.scoped(scope),
    leaseCache,
    clock,
    ids,
    policy,
    keyring,
    activity: anomalyMonitor,
    ...(timers === null ? {} : { reservationTimers: timers }),
  });
  const systemRun = standaloneRunner(db, roles, SYSTEM_SCOPE);
  const queries = new PostgresCatalogQueries(systemRun, schema);
  const gauges = new PostgresInventoryGauges(systemRun, schema);
  const regulatorExport = createRegulatorExport({
    db,
    run: systemRun,
    schema,
    objectStore: options.regulatorExport.objectStore,
    signer: options.regulatorExport.signer,
    clock,
    metrics,
    logger: logger.child({ component: 'regulator-export' }),
    ...(options.regulatorExport.retentionYears === undefined ? {} : { retentionYears: options.regulatorExport.retentionYears }),
  });

  const relay = new OutboxRelay<NumberingTables>({
    db,
    schema,
    bus,
    subjectFor: (envelope: EventEnvelope) => `${prefix}${envelope.type}`,
    role: roles.systemRole,
    listen: options.database.pool,
    clock,
    logger: logger.child({ component: 'outbox-relay' }),
    ...(options.relayPollIntervalMs === undefined ? {} : { pollIntervalMs: options.relayPollIntervalMs }),
  });
  metrics.observe({
    outboxLag: () => relay.lag(),
    inventory: () => gauges.inventory(),
    shortCodes: () => gauges.shortCodes(),
    overdue: async () => {
      const at = new Date(clock.now().getTime() - OVERDUE_GRACE_MS);
      return { reservations: await gauges.overdue('reserved', at), quarantines: await gauges.overdue('quarantined', at) };
    },
  });

  const idempotencyKeys = new PostgresIdempotencyStore(systemRun, schema, idempotencyWindow);
  const scheduler = new PostgresJobScheduler({
    pool: options.database.pool,
    lockNamespace: `${schema}:jobs`,
    jobs: [
      ...createNumberingJobs({
        useCases,
        logger: logger.child({ component: 'jobs' }),
        onRenewalFailure: () => metrics.leaseRenewalFailures.inc(),
        onAuditVerified: (intact, at) => metrics.recordAuditVerification(intact, at),
        onReservationExpired: (lateMs) => metrics.recordReservationExpiry('safety_net', lateMs),
      }),
      regulatorExport.job,
      createIdempotencyPurgeJob({
        deleteExpired: (before, limit) => idempotencyKeys.deleteExpired(before, limit),
        ...(idempotency.purgeBatchSize === undefined ? {} : { batchSize: idempotency.purgeBatchSize }),
        ...(idempotency.purgeIntervalMs === undefined ? {} : { intervalMs: idempotency.purgeIntervalMs }),
      }),
    ],
    clock,
    logger: logger.child({ component: 'scheduler' }),
    onOutcome: (job, outcome) => metrics.jobRuns.inc({ job, outcome: outcome === 'failed' ? 'failed' : outcome.status }),
  });

  const closers: ShutdownStep[] = [];
  let subscription: Subscription | undefined;
  let recallSubscription: Subscription | undefined;
  let grpcServer: Server | null = null;
  let stopTimers: (() => Promise<void>) | null = null;
  try {
    relay.start();
    stopTimers = timers === null ? null : await listenToReservationTimers(timers, useCases, clock, metrics, logger, options.expiryEventsRetryMs ?? 30_000);
    subscription = await subscribeLeaseCacheInvalidation({
      bus,
      handler: useCases.invalidateLeaseCache,
      durable: `${prefix.replace(/[^A-Za-z0-9_-]/g, '_')}numbering-lease-cache`,
      subjectPrefix: prefix,
    });
    recallSubscription = await subscribeTenantRecall({
      db,
      schema,
      bus,
      consumer: `${prefix.replace(/[^A-Za-z0-9_-]/g, '_')}numbering-tenant-recall`,
      subjectPrefix: prefix,
      listHeld: (query) => useCases.system.numbers.listHeldByTenant({ ...query, state: null }),
      recall: useCases.forActor(TENANT_RECALL_ACTOR).recall,
      logger: logger.child({ component: 'tenant-recall' }),
      ...(options.recallBatchSize === undefined ? {} : { batchSize: options.recallBatchSize }),
    });
    let grpcPort: number | null = null;
    if (options.grpc !== null) {
      const allowedClients = options.grpc.allowedClients;
      grpcServer = createNumberingGrpcServer({
        useCases: () => useCases,
        verifier,
        logger: logger.child({ component: 'grpc' }),
        metrics,
        ...(allowedClients === undefined ? {} : { allowedClients }),
      });
      grpcPort = await listenGrpc(grpcServer, options.grpc.host, options.grpc.port, options.grpc.credentials ?? ServerCredentials.createInsecure());
      logger.info({ port: grpcPort }, 'numbering gRPC API listening');
      const server = grpcServer;
      const graceMs = options.grpc.graceMs;
      closers.push({
        name: 'numbering gRPC server',
        close: async () => {
          if (!(await shutdownGrpc(server, graceMs))) logger.warn({ graceMs }, 'gRPC calls still running after the grace period were cut');
        },
      });
    }
    if (options.runJobs !== false) scheduler.start();
    closers.push({ name: 'numbering scheduler', close: () => scheduler.stop() });
    const activeTimers = stopTimers;
    if (activeTimers !== null) closers.push({ name: 'numbering reservation timers', close: activeTimers });
    closers.push({ name: 'numbering anomaly monitor', close: () => anomalyMonitor.flush() });
    const activeRecall = recallSubscription;
    closers.push({ name: 'numbering tenant recall consumer', close: () => activeRecall.stop() });
    const activeSubscription = subscription;
    closers.push({ name: 'numbering lease-cache invalidation consumer', close: () => activeSubscription.stop() });
    closers.push({ name: 'numbering outbox relay', close: () => relay.stop() });
    if (leaseCache.close !== undefined) {
      const close = leaseCache.close.bind(leaseCache);
      closers.push({ name: 'numbering lease cache', close });
    }

    const readiness: ReadinessCheck[] = [];
    if (leaseCache.ping !== undefined) {
      const ping = leaseCache.ping.bind(leaseCache);
      // Non-critical: ValidateLease answers from PostgreSQL while the cache is down (degraded, not down).
      readiness.push({ name: 'lease-cache', critical: false, timeoutMs: 1000, check: ping });
    }

    return {
      useCases,
      http: { useCases, verifier, queries, metrics },
      metrics,
      relay,
      scheduler,
      regulatorExport,
      reservationTimers: timers,
      anomalyMonitor,
      grpcServer,
      grpcPort,
      readiness,
      closers,
    };
  } catch (error) {
    grpcServer?.forceShutdown();
    await scheduler.stop();
    await stopTimers?.().catch(() => undefined);
    await recallSubscription?.stop().catch(() => undefined);
    await subscription?.stop().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Subscribes the reservation TTL timers: each fired timer runs ExpireReservationOnTimer. When the cache cannot
 * deliver expiry events (Redis down, CONFIG refused while the server does not have the events on) this logs
 * it and tries again every `retryMs`; meanwhile the safety-net job releases every reservation, within a minute
 * of its TTL instead of 2 s. Resolves to the closer: stop retrying, unsubscribe, wait for timers being handled.
 */
async function listenToReservationTimers(
  timers: CacheReservationTimers,
  useCases: NumberingUseCases,
  clock: Clock,
  metrics: NumberingMetrics,
  logger: Logger,
  retryMs: number,
): Promise<() => Promise<void>> {
  const onTimer = new ExpireReservationOnTimer({ expire: useCases.forActor(RESERVATION_TIMER_ACTOR).expire, timers, clock, actor: RESERVATION_TIMER_ACTOR });
  const log = logger.child({ component: 'reservation-timers' });
  const onFired = async (timer: ReservationTimer): Promise<void> => {
    try {
      const outcome = await onTimer.execute(timer);
      metrics.recordReservationTimer(outcome);
      if (outcome.outcome === 'refused') log.warn({ numberId: timer.numberId, code: outcome.code }, 'reservation timer: expiry refused');
    } catch (error) {
      metrics.recordReservationTimer('failed');
      log.error({ err: error, numberId: timer.numberId }, 'reservation timer: expiry failed; the safety-net job will retry');
    }
  };
  let unlisten: (() => Promise<void>) | null = null;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  const attempt = async (): Promise<void> => {
    try {
      const subscribed = await timers.listen(onFired);
      if (stopped) {
        await subscribed();
        return;
      }
      unlisten = subscribed;
      if (failures > 0) log.info({ failures }, 'reservation expiry events available again');
    } catch (error) {
      // Logged at the first failure and then once every ten, not at every retry.
      if (failures % 10 === 0)
        log.warn({ err: error, retryMs }, 'reservation expiry events unavailable; the safety-net job alone expires reservations until they are');
      failures += 1;
      if (!stopped) retry = setTimeout(() => void attempt(), retryMs);
    }
  };
  await attempt();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await unlisten?.();
    await timers.drain();
  };
}
