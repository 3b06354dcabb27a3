import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { JwtVerifier } from '@sms/auth';
import type { Subscription } from '@sms/bus';
import { tryWithAdvisoryLock } from '@sms/db';
import { DEFAULT_IDEMPOTENCY_WINDOW_MS, PostgresIdempotencyRecords, type HttpApp, type ReadinessCheck, type ShutdownStep } from '@sms/http';
import type { EventEnvelope } from '@sms/kernel';
import { OutboxRelay } from '@sms/outbox';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import type { SecretStore } from '@sms/secrets';
import { composeOperatorManagement, type OperatorManagement } from './adapters/composition.js';
import { loadOpsConfig, type OpsConfig } from './adapters/config/ops-config.js';
import { registerOpsRoutes, type OpsHttpRuntime } from './adapters/http/routes.js';
import { mtlsGuard, startMtlsServer, type MtlsServer } from './adapters/http/mtls-server.js';
import { periodicJob, type PeriodicJob } from './adapters/jobs/periodic-job.js';
import { HEALTH_REPORT_SUBJECT, startHealthReportConsumer } from './adapters/nats/health-report.consumer.js';
import { OpsMetrics } from './adapters/observability/ops-metrics.js';
import { lastLiveReportAt, liveOperatorStates } from './adapters/postgres/ops-metric-queries.js';
import { OPS_SCHEMA, type OpsDatabase } from './adapters/postgres/ops-tables.js';

const SERVICE_NAME = 'operator-management';
const DAY_MS = 86_400_000;

/** What a started instance exposes to its creator (tests, tools); the runtime needs none of it. */
export interface OperatorManagementHandle {
  /** Use cases as requests run them (app role). */
  readonly useCases: OperatorManagement;
  /** Use cases as the jobs and consumers run them (system role). */
  readonly jobs: OperatorManagement;
  readonly relay: OutboxRelay<unknown>;
  readonly metrics: OpsMetrics;
  readonly healthSweep: PeriodicJob;
  readonly partitionMaintenance: PeriodicJob;
  /** Deletes Idempotency-Key records older than 48 h (once per cluster: advisory lock). */
  readonly idempotencyPurge: PeriodicJob;
  /** The mTLS listener of the internal API; null when mTLS is not configured. */
  readonly mtls: MtlsServer | null;
}

export interface OperatorManagementOptions {
  /** Prefix of every subject this instance publishes and consumes (tests: a unique one; production: none). */
  readonly subjectPrefix?: string;
  /** Instead of reading the OPS_* and AUTH_* variables. */
  readonly config?: OpsConfig;
  /** Instead of `context.verifier`. */
  readonly verifier?: JwtVerifier;
  /** Instead of `context.infra.secretStore('ops')`. */
  readonly secretStore?: SecretStore;
  /** Host the mTLS listener binds to; default 0.0.0.0. */
  readonly mtlsHost?: string;
  /** Start the periodic jobs (health sweep, partition maintenance). Default true. */
  readonly runJobs?: boolean;
  /** Called once started, with the instance's internals. */
  readonly onStarted?: (handle: OperatorManagementHandle) => void;
}

/**
 * Operator-management as the runtime runs it (ARCHITECTURE.md; docs/overview.md). Built by a
 * factory so tests can give each instance its own subject prefix, configuration and secret store.
 */
export function createOperatorManagementService(options: OperatorManagementOptions = {}): ServiceDefinition {
  const prefix = options.subjectPrefix ?? '';
  let httpRuntime: OpsHttpRuntime | null = null;
  const runtime = (): OpsHttpRuntime => {
    if (httpRuntime === null) throw new Error('operator-management has not started');
    return httpRuntime;
  };

  return {
    name: SERVICE_NAME,
    schema: OPS_SCHEMA,
    apiVersion: '0.2.0',
    description: 'Operator (MNO) records, SMPP connection credentials in the secret store, health ingest and routing rules.',
    defaultPort: 8082,
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    streams: [{ name: 'OPS', subjects: [`${prefix}ops.>`] }],

    registerApiRoutes(app: HttpApp): void {
      registerOpsRoutes(app, runtime);
    },

    async start(context: ServiceContext): Promise<StartedService> {
      const { app, infra, logger, clock, ids, roles } = context;
      const config = options.config ?? loadOpsConfig(process.env);
      const secretStore = options.secretStore ?? infra.secretStore(OPS_SCHEMA);
      const verifier = options.verifier ?? context.verifier;

      const requests: OpsDatabase = { db: context.database.db, role: roles.appRole };
      const system: OpsDatabase = { db: context.database.db, role: roles.systemRole };
      const shared = {
        ownerDb: context.database.db,
        secretStore,
        clock,
        ids,
        partitionPolicy: config.healthLog,
        credentialReaders: config.credentialReaders,
      };
      const useCases = composeOperatorManagement({ ...shared, database: requests });
      const jobs = composeOperatorManagement({ ...shared, database: system });
      const { partitions } = jobs.repositories;

      const relay = new OutboxRelay<unknown>({
        db: context.database.db,
        schema: OPS_SCHEMA,
        bus: infra.bus,
        subjectFor: (envelope: EventEnvelope) => `${prefix}${envelope.type}`,
        role: roles.systemRole,
        listen: context.database.pool,
        clock,
        logger: logger.child({ component: 'outbox-relay' }),
      });

      const metrics = new OpsMetrics(context.metrics, () => ({
        operatorStates: () => liveOperatorStates(system),
        lastReportAt: () => lastLiveReportAt(system),
        pingSecretStore: () => secretStore.ping(),
        outboxLag: () => relay.lag(),
        partitionsAheadDays: async () => {
          const today = new Date(Math.floor(clock.now().getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
          return (await partitions.list()).filter((name) => name.slice(-8) > today).length;
        },
      }));

      // Before the routes: the guard must see every request of the API.
      if (config.mtls !== null) app.addHook('onRequest', mtlsGuard({ allowedClients: config.mtls.allowedClients, requireMtls: true }));
      const idempotency = new PostgresIdempotencyRecords({ db: context.database.db, schema: OPS_SCHEMA, role: roles.systemRole });
      httpRuntime = {
        useCases,
        metrics,
        idempotency,
        callerPolicy: { verifier, serviceIdentityFromCertificateOnly: config.mtls !== null, healthReporters: config.healthReporters },
      };
      this.registerApiRoutes(app);

      const healthSweep = periodicJob({
        intervalMs: config.healthSweepIntervalMs,
        task: async () => {
          // Once per cluster: two replicas sweeping at once would both publish the same health change.
          const outcome = await tryWithAdvisoryLock(context.database.db, `${SERVICE_NAME}:${OPS_SCHEMA}:stale-health-sweep`, () =>
            jobs.sweepStaleHealth.execute(),
          );
          if (outcome.status === 'skipped') return;
          metrics.healthSweeps.inc({ outcome: 'ok' });
          for (const state of outcome.value.changed) logger.info({ operator_id: state }, 'operator health changed by the stale-health sweep');
        },
        onError: (error) => {
          metrics.healthSweeps.inc({ outcome: 'failed' });
          logger.error({ err: error }, 'stale-health sweep failed');
        },
      });
      const partitionMaintenance = periodicJob({
        intervalMs: config.partitionMaintenanceIntervalMs,
        task: async () => {
          const result = await partitions.maintain(clock.now());
          metrics.partitionMaintenance.inc({ outcome: 'ok' });
          metrics.partitionMaintenanceLastSuccess.set(clock.now().getTime() / 1000);
          if (result.created.length > 0 || result.dropped.length > 0) {
            logger.info({ managed_by: result.managedBy, created: result.created, dropped: result.dropped }, 'health log partitions maintained');
          }
        },
        onError: (error) => {
          metrics.partitionMaintenance.inc({ outcome: 'failed' });
          logger.error({ err: error }, 'health log partition maintenance failed');
        },
      });

      const idempotencyPurge = periodicJob({
        intervalMs: config.idempotencyPurgeIntervalMs,
        task: async () => {
          const cutoff = new Date(clock.now().getTime() - DEFAULT_IDEMPOTENCY_WINDOW_MS);
          const outcome = await tryWithAdvisoryLock(context.database.db, `${SERVICE_NAME}:${OPS_SCHEMA}:idempotency-purge`, () => idempotency.purgeClaimedBefore(cutoff));
          if (outcome.status === 'ran' && outcome.value > 0) logger.info({ purged: outcome.value, cutoff: cutoff.toISOString() }, 'idempotency keys purged');
        },
        onError: (error) => logger.error({ err: error }, 'idempotency key purge failed'),
      });

      const subscriptions: Subscription[] = [];
      const closers: ShutdownStep[] = [];
      let mtls: MtlsServer | null = null;
      try {
        // Partitions first, so the first reports land in premade partitions.
        await partitionMaintenance.runNow();
        relay.start();
        subscriptions.push(
          await startHealthReportConsumer({
            bus: infra.bus,
            subject: `${prefix}${HEALTH_REPORT_SUBJECT}`,
            ingest: () => jobs.ingestHealthReport,
            metrics,
            logger: logger.child({ component: 'health-report-consumer' }),
          }),
        );
        if (options.runJobs ?? true) {
          healthSweep.start();
          partitionMaintenance.start();
          idempotencyPurge.start();
        }
        if (config.mtls !== null) {
          const [cert, key, clientCa] = await Promise.all([
            readFile(config.mtls.certFile),
            readFile(config.mtls.keyFile),
            readFile(config.mtls.clientCaFile),
          ]);
          mtls = await startMtlsServer(app, { cert, key, clientCa, port: config.mtls.port, ...(options.mtlsHost ? { host: options.mtlsHost } : {}) });
        }
      } catch (error) {
        await Promise.allSettled([...subscriptions.map((s) => s.stop()), relay.stop(), healthSweep.stop(), partitionMaintenance.stop(), idempotencyPurge.stop()]);
        throw error;
      }
      const mtlsServer = mtls;
      if (mtlsServer !== null) closers.push({ name: `${SERVICE_NAME} mTLS server`, close: () => mtlsServer.close() });
      closers.push(
        { name: `${SERVICE_NAME} health report consumer`, close: async () => void (await Promise.all(subscriptions.map((s) => s.stop()))) },
        { name: `${SERVICE_NAME} jobs`, close: async () => void (await Promise.all([healthSweep.stop(), partitionMaintenance.stop(), idempotencyPurge.stop()])) },
        { name: `${SERVICE_NAME} outbox relay`, close: () => relay.stop() },
      );

      const readiness: ReadinessCheck[] = [
        // Reads, health ingest and routing keep working without it; credential calls answer 503.
        { name: 'secret-store', critical: false, check: () => secretStore.ping() },
      ];
      options.onStarted?.({ useCases, jobs, relay, metrics, healthSweep, partitionMaintenance, idempotencyPurge, mtls: mtlsServer });
      return { readiness, closers };
    },
  };
}

/** Operator (MNO) records, SMPP connection credentials in the secret store, health ingest and routing rules. */
export const operatorManagementService: ServiceDefinition = createOperatorManagementService();
