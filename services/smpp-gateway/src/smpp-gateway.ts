import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Bus, Subscription } from '@sms/bus';
import type { ReadinessCheck } from '@sms/http';
import type { Clock, IdGenerator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import { OutboxRelay } from '@sms/outbox';
import { OUTBOUND_REQUEST_EVENT, startOutboundConsumer } from './adapters/bus/outbound-request.consumer.js';
import { BindHealthReporter, HEALTH_REPORT_SUBJECT } from './adapters/health/bind-health.reporter.js';
import { SubmittedPartsCleanupJob } from './adapters/jobs/submitted-parts-cleanup.job.js';
import { SmppMetrics } from './adapters/observability/smpp-metrics.js';
import { PostgresSmppStore } from './adapters/postgres/postgres-smpp-store.js';
import { PostgresSubmittedPartsPurger } from './adapters/postgres/postgres-submitted-parts.purger.js';
import { SmppClientPool, timerSleeper } from './adapters/smpp/smpp-client-pool.js';
import type { SmppConnectionSettings } from './adapters/smpp/smpp-connection.js';
import type { CredentialsProvider } from './application/ports/credentials-provider.port.js';
import type { Sleeper } from './application/ports/smsc-submitter.port.js';
import { HandleDeliveryReceipt } from './application/handle-delivery-receipt.use-case.js';
import { PurgeSubmittedParts } from './application/purge-submitted-parts.use-case.js';
import type { SubmittedPartsRetention } from './application/purge-submitted-parts.use-case.js';
import { SubmitOutboundMessage } from './application/submit-outbound-message.use-case.js';
import { DELIVERY_STATUS_EVENT } from './domain/delivery-status-event.js';
import type { RetryPolicy } from './domain/submit-retry-policy.js';

export interface SmppGatewayDependencies {
  readonly db: Kysely<unknown>;
  readonly listenPool?: pg.Pool;
  readonly schema: string;
  readonly systemRole: string;
  readonly bus: Bus;
  /** Prepended (with a dot) to every subject: tests use a unique one; production none. */
  readonly subjectPrefix?: string;
  readonly connections: readonly SmppConnectionSettings[];
  readonly credentials: CredentialsProvider;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly settings: {
    readonly outboundConcurrency: number;
    readonly retryPolicy?: RetryPolicy;
    readonly relayPollIntervalMs?: number;
    /** Redelivery delays of the outbound consumer. */
    readonly outboundBackoffMs?: readonly number[];
    readonly outboundMaxDeliver?: number;
    /** Tries of an unmatched receipt (its submit response may still be being recorded) before it is dropped. */
    readonly unmatchedReceiptTries?: number;
    readonly unmatchedReceiptDelayMs?: number;
    /** Period of the bind health reports (`ops.health.report`). Default 15 s. */
    readonly healthReportIntervalMs?: number;
    /** Cleanup of `submitted_parts`. Default: 7 days' retention, batches of 5,000, 100 batches a run, every hour. */
    readonly submittedPartsCleanup?: Partial<SubmittedPartsRetention> & { readonly intervalMs?: number };
  };
  readonly sleeper?: Sleeper;
}

export interface SmppGateway {
  readonly pool: SmppClientPool;
  readonly submitOutbound: SubmitOutboundMessage;
  readonly handleReceipt: HandleDeliveryReceipt;
  readonly relay: OutboxRelay<unknown>;
  readonly metrics: SmppMetrics;
  readonly healthReporter: BindHealthReporter;
  /** The `submitted_parts` cleanup (started with the gateway; tests run it directly). */
  readonly partsCleanup: SubmittedPartsCleanupJob;
  readonly subjects: { readonly outbound: string; readonly deliveryStatus: string; readonly healthReport: string };
  readiness(): ReadinessCheck[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a submitted part waits for its receipt by default: the longest validity period (72 h) plus a wide margin for late receipts. */
export const DEFAULT_SUBMITTED_PARTS_RETENTION_MS = 7 * 86_400_000;

export function createSmppGateway(deps: SmppGatewayDependencies): SmppGateway {
  const { clock, ids, logger, settings } = deps;
  const prefix = deps.subjectPrefix ? `${deps.subjectPrefix}.` : '';
  const subjects = {
    outbound: prefix + OUTBOUND_REQUEST_EVENT.subject,
    deliveryStatus: prefix + DELIVERY_STATUS_EVENT.subject,
    healthReport: prefix + HEALTH_REPORT_SUBJECT,
  };
  const metrics = new SmppMetrics(deps.registry);
  const sleeper = deps.sleeper ?? timerSleeper;
  const store = new PostgresSmppStore({ db: deps.db, schema: deps.schema, systemRole: deps.systemRole });
  const operators = new Map(deps.connections.map((c) => [c.connectionId, c.operatorId]));
  const idForms = new Map(deps.connections.map((c) => [c.connectionId, c.idForms]));
  const healthReporter = new BindHealthReporter({
    bus: deps.bus,
    subject: subjects.healthReport,
    connections: operators,
    clock,
    ids,
    logger,
    ...(settings.healthReportIntervalMs !== undefined ? { intervalMs: settings.healthReportIntervalMs } : {}),
  });
  const handleReceipt = new HandleDeliveryReceipt({ unitOfWork: store, clock, ids, idFormsOf: (connectionId) => idForms.get(connectionId) ?? 'same' });

  const tries = settings.unmatchedReceiptTries ?? 5;
  const triesDelay = settings.unmatchedReceiptDelayMs ?? 200;
  const pool = new SmppClientPool(
    deps.connections,
    deps.credentials,
    {
      async onDeliverSm(connectionId, pdu) {
        for (let attempt = 1; ; attempt += 1) {
          const outcome = await handleReceipt.execute(connectionId, pdu);
          // The submit response may still be on its way to the database: give it a moment.
          if (outcome.kind === 'unmatched' && attempt < tries) {
            await sleeper.sleep(triesDelay);
            continue;
          }
          metrics.receipts.inc({ outcome: outcome.kind });
          if (outcome.kind === 'unmatched' || outcome.kind === 'unreadable') {
            logger.warn({ connectionId, outcome: outcome.kind }, 'delivery receipt dropped');
          }
          return 0;
        }
      },
      onStateChange(connectionId, state, reason) {
        metrics.bindChanges.inc({ connection: connectionId, state });
        metrics.bindUp.set({ connection: connectionId, operator: operators.get(connectionId) ?? 'unknown' }, state === 'bound' ? 1 : 0);
        if (state !== 'bound') logger.info({ connectionId, state, reason }, 'SMPP bind state');
        healthReporter.onStateChange(connectionId, state);
      },
      onSubmitResponse(connectionId, commandStatus, latencyMs) {
        metrics.submitResponses.inc({ connection: connectionId, status: `0x${commandStatus.toString(16).padStart(2, '0')}` });
        metrics.submitLatency.observe({ connection: connectionId }, latencyMs / 1000);
        healthReporter.onSubmitResponse(connectionId, commandStatus, latencyMs);
      },
    },
    logger,
    clock,
  );

  const submitOutbound = new SubmitOutboundMessage({
    unitOfWork: store,
    submitter: pool,
    sleeper,
    clock,
    ids,
    ...(settings.retryPolicy ? { retryPolicy: settings.retryPolicy } : {}),
  });

  const relay = new OutboxRelay<unknown>({
    db: deps.db,
    schema: deps.schema,
    bus: deps.bus,
    subjectFor: (envelope) => {
      if (envelope.type !== DELIVERY_STATUS_EVENT.type) throw new Error(`smpp-gateway does not publish events of type ${envelope.type}`);
      return subjects.deliveryStatus;
    },
    role: deps.systemRole,
    clock,
    logger: logger.child({ component: 'outbox-relay' }),
    ...(settings.relayPollIntervalMs !== undefined ? { pollIntervalMs: settings.relayPollIntervalMs } : {}),
    ...(deps.listenPool ? { listen: deps.listenPool } : {}),
  });

  const cleanupSettings = settings.submittedPartsCleanup ?? {};
  const partsCleanup = new SubmittedPartsCleanupJob({
    db: deps.db,
    schema: deps.schema,
    purge: new PurgeSubmittedParts({
      purger: new PostgresSubmittedPartsPurger({ db: deps.db, schema: deps.schema, systemRole: deps.systemRole }),
      clock,
      retention: {
        retentionMs: cleanupSettings.retentionMs ?? DEFAULT_SUBMITTED_PARTS_RETENTION_MS,
        batchSize: cleanupSettings.batchSize ?? 5_000,
        maxBatchesPerRun: cleanupSettings.maxBatchesPerRun ?? 100,
      },
    }),
    intervalMs: cleanupSettings.intervalMs ?? 3_600_000,
    logger: logger.child({ component: 'submitted-parts-cleanup' }),
    registry: deps.registry,
  });

  let subscriptions: Subscription[] = [];
  return {
    pool,
    submitOutbound,
    handleReceipt,
    relay,
    metrics,
    healthReporter,
    partsCleanup,
    subjects,
    readiness() {
      // A bind that is down degrades the gateway but does not make it unready: traffic for other
      // operators still flows, and the orchestrator's routing fails over on operator health.
      return pool.all.map((connection) => ({
        name: `smpp:${connection.settings.connectionId}`,
        critical: false,
        check: () => (connection.state === 'bound' ? Promise.resolve() : Promise.reject(new Error(`bind ${connection.state}`))),
      }));
    },
    async start() {
      healthReporter.start();
      pool.start();
      relay.start();
      partsCleanup.start();
      try {
        subscriptions = await startOutboundConsumer({
          bus: deps.bus,
          subject: subjects.outbound,
          submitOutbound,
          logger,
          concurrency: settings.outboundConcurrency,
          ...(settings.outboundBackoffMs ? { backoffMs: settings.outboundBackoffMs } : {}),
          ...(settings.outboundMaxDeliver ? { maxDeliver: settings.outboundMaxDeliver } : {}),
          onOutcome: (outcome) => metrics.outbound.inc({ outcome }),
        });
      } catch (error) {
        await partsCleanup.stop();
        await relay.stop();
        await pool.stop();
        await healthReporter.stop();
        throw error;
      }
    },
    async stop() {
      await Promise.allSettled(subscriptions.map((s) => s.stop()));
      subscriptions = [];
      await partsCleanup.stop();
      await pool.stop();
      await healthReporter.stop();
      await relay.stop();
    },
  };
}
