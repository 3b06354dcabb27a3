import { ServerCredentials } from '@grpc/grpc-js';
import type { Server } from '@grpc/grpc-js';
import type { Kysely } from 'kysely';
import type { JwtVerifier } from '@sms/auth';
import type { Bus, Subscription } from '@sms/bus';
import type { Database } from '@sms/db';
import type { ReadinessCheck, ShutdownStep } from '@sms/http';
import type { Clock, EventEnvelope, IdGenerator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import { OutboxRelay } from '@sms/outbox';
import type { Registry } from 'prom-client';
import type { LeaseCache, NumberingPolicy, OperatorKeyring } from '../index.js';
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
import { createNumberingJobs } from './numbering-jobs.js';
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
  readonly grpc: { readonly host: string; readonly port: number; readonly credentials?: ServerCredentials; readonly graceMs: number } | null;
  readonly relayPollIntervalMs?: number;
  /** Start the scheduled jobs' timers (default true; tests drive `scheduler.runOnce` instead). */
  readonly runJobs?: boolean;
  /** Holdings recalled per page by the tenant recall consumer (default 100). */
  readonly recallBatchSize?: number;
}

/** A started numbering-service: what its HTTP routes, tests and tools use, and what to check and close. */
export interface NumberingRuntime {
  readonly useCases: NumberingUseCases;
  readonly http: NumberingHttpRuntime;
  readonly metrics: NumberingMetrics;
  readonly relay: OutboxRelay<NumberingTables>;
  /** The reservation-expiry, quarantine and lease-renewal jobs (composition/numbering-jobs.ts). */
  readonly scheduler: PostgresJobScheduler;
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
  const store = new PostgresNumberingStore({ db, schema, roles, clock });
  const useCases = createNumberingUseCases({ ports: (scope) => store.scoped(scope), leaseCache, clock, ids, policy, keyring });
  const metrics = new NumberingMetrics(options.registry);
  const systemRun = standaloneRunner(db, roles, SYSTEM_SCOPE);
  const queries = new PostgresCatalogQueries(systemRun, schema);
  const gauges = new PostgresInventoryGauges(systemRun, schema);

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
    overdue: async () => {
      const at = new Date(clock.now().getTime() - OVERDUE_GRACE_MS);
      return { reservations: await gauges.overdue('reserved', at), quarantines: await gauges.overdue('quarantined', at) };
    },
  });

  const scheduler = new PostgresJobScheduler({
    pool: options.database.pool,
    lockNamespace: `${schema}:jobs`,
    jobs: createNumberingJobs({
      useCases,
      logger: logger.child({ component: 'jobs' }),
      onRenewalFailure: () => metrics.leaseRenewalFailures.inc(),
      onAuditVerified: (intact, at) => metrics.recordAuditVerification(intact, at),
    }),
    clock,
    logger: logger.child({ component: 'scheduler' }),
    onOutcome: (job, outcome) => metrics.jobRuns.inc({ job, outcome: outcome === 'failed' ? 'failed' : outcome.status }),
  });

  const closers: ShutdownStep[] = [];
  let subscription: Subscription | undefined;
  let recallSubscription: Subscription | undefined;
  let grpcServer: Server | null = null;
  try {
    relay.start();
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
      grpcServer = createNumberingGrpcServer({ useCases: () => useCases, verifier, logger: logger.child({ component: 'grpc' }), metrics });
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
      grpcServer,
      grpcPort,
      readiness,
      closers,
    };
  } catch (error) {
    grpcServer?.forceShutdown();
    await scheduler.stop();
    await recallSubscription?.stop().catch(() => undefined);
    await subscription?.stop().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    throw error;
  }
}
