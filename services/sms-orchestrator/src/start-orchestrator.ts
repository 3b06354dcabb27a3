import type { Kysely } from 'kysely';
import { createConfigClient, createHttpConfigTransport, subscribeInvalidations } from '@sms/config-client';
import { authenticate, createDevSigner, devKeyDir } from '@sms/auth';
import type { HttpApp, ShutdownStep } from '@sms/http';
import type { ServiceContext, StartedService } from '@sms/runtime';
import type { RateLimiter } from './application/ports/rate-limiter.port.js';
import type { Router } from './application/ports/router.port.js';
import type { SenderLeaseChecker } from './application/ports/sender-lease-checker.port.js';
import type { TenantSettings } from './application/ports/tenant-settings.port.js';
import type { SecretStore } from '@sms/secrets';
import { CallbackDispatcher } from './adapters/callbacks/callback-dispatcher.js';
import { startStatusCallbacks } from './adapters/callbacks/status-callbacks.js';
import type { StatusCallbacks } from './adapters/callbacks/status-callbacks.js';
import { ConfigServiceTenantSettings } from './adapters/config/config-service-tenant-settings.js';
import { EnvTenantSettings } from './adapters/config/env-tenant-settings.js';
import { ThrottledWarning } from './adapters/observability/throttled-warning.js';
import { createNumberingClient } from './adapters/grpc/numbering-contract.js';
import { GrpcSenderLeaseChecker } from './adapters/grpc/grpc-sender-lease.checker.js';
import { numberingChannel } from './adapters/grpc/numbering-channel.js';
import { registerSmsApiRoutes } from './adapters/http/sms-api.routes.js';
import { HttpRouter } from './adapters/routing/http-router.js';
import { devServiceToken, staticServiceToken } from './adapters/service-token.js';
import type { ServiceTokenSource } from './adapters/service-token.js';
import type { SmsApiRuntime } from './adapters/http/sms-api.routes.js';
import type { OrchDatabase } from './adapters/postgres/orch-tables.js';
import { clockUuidv7 } from './adapters/postgres/message-id-time.js';
import { OrchestratorMetrics } from './adapters/observability/orchestrator-metrics.js';
import { LocalTokenBucketRateLimiter } from './adapters/redis/local-token-bucket.rate-limiter.js';
import { RedisTokenBucketRateLimiter } from './adapters/redis/redis-token-bucket.rate-limiter.js';
import { unconfiguredRouter, unconfiguredSenderLeaseChecker } from './adapters/unconfigured-dependencies.js';
import { createOrchestrator } from './orchestrator.js';
import type { Orchestrator } from './orchestrator.js';
import { numberingTlsFrom } from './orchestrator-env.js';
import type { OrchestratorEnv } from './orchestrator-env.js';

/** The submit API runtime of each app the service started on (routes registered alone have none: OpenAPI generation). */
const apiRuntimes = new WeakMap<HttpApp, SmsApiRuntime>();

/** Registers the submit API routes on `app`; their handlers use what {@link startSmsOrchestrator} set for that app. */
export function registerOrchestratorRoutes(app: HttpApp): void {
  registerSmsApiRoutes(app, { current: () => apiRuntimes.get(app) });
}

/** What the composition takes from outside the environment: tests replace dependencies, production builds them from it. */
export interface StartOverrides {
  /** Prefix of every NATS subject (tests: unique per run). */
  readonly subjectPrefix?: string;
  readonly senderLeases?: SenderLeaseChecker;
  readonly router?: Router;
  readonly rateLimiter?: RateLimiter;
  readonly tenantSettings?: TenantSettings;
  /** Where the tenants' callback signing secrets live; default `context.infra.secretStore('orch')`. */
  readonly callbackSecrets?: SecretStore;
  /** Prefix of the Redis keys the service writes itself (rate-limit buckets); default `orch:`. */
  readonly redisKeyPrefix?: string;
}

export interface StartedOrchestrator extends StartedService {
  readonly orchestrator: Orchestrator;
  /** Status callbacks (tests drive its sweep directly). */
  readonly callbackDispatcher: CallbackDispatcher;
}

/**
 * The orchestrator's `start`: builds the adapters from the environment, the use cases, the submit
 * API runtime, and starts the outbox relay, the consumers and the jobs. The routes must already be
 * registered on `context.app` ({@link registerOrchestratorRoutes}).
 */
export async function startSmsOrchestrator(context: ServiceContext, env: OrchestratorEnv, overrides: StartOverrides = {}): Promise<StartedOrchestrator> {
  const { logger, clock } = context;
  const production = env.NODE_ENV === 'production';
  const idempotencyCache = context.infra.cache('orch:');

  const closers: ShutdownStep[] = [];
  const tokens = lazyServiceTokens(env, context);
  let senderLeases = overrides.senderLeases;
  if (senderLeases === undefined && env.NUMBERING_GRPC_ADDRESS !== undefined) {
    const channel = numberingChannel(numberingTlsFrom(env));
    const client = createNumberingClient(env.NUMBERING_GRPC_ADDRESS, channel.credentials, {
      timeoutMs: env.ORCH_DEPENDENCY_TIMEOUT_MS,
      channelOptions: channel.channelOptions,
    });
    closers.push({ name: 'numbering gRPC client', close: () => Promise.resolve(client.close()) });
    senderLeases = new GrpcSenderLeaseChecker({ client, tokens, timeoutMs: env.ORCH_DEPENDENCY_TIMEOUT_MS });
  }
  let router = overrides.router;
  if (router === undefined && env.ROUTING_ENGINE_URL !== undefined) {
    router = new HttpRouter({ baseUrl: env.ROUTING_ENGINE_URL, tokens, timeoutMs: env.ORCH_DEPENDENCY_TIMEOUT_MS });
  }
  if (senderLeases === undefined) logger.warn('NUMBERING_GRPC_ADDRESS is not set: sender lease checks answer "unavailable" and messages wait in retry');
  if (router === undefined) logger.warn('ROUTING_ENGINE_URL is not set: route queries answer "unavailable" and messages wait in retry');

  const metrics = new OrchestratorMetrics(context.metrics);
  let rateLimiter = overrides.rateLimiter;
  if (rateLimiter === undefined && context.env.REDIS_URL !== undefined) {
    const redisLimiter = new RedisTokenBucketRateLimiter({
      url: context.env.REDIS_URL,
      keyPrefix: overrides.redisKeyPrefix ?? 'orch:',
      fallback: new LocalTokenBucketRateLimiter(),
      metrics,
      logger,
    });
    closers.push({ name: 'sms-orchestrator rate limiter redis', close: () => redisLimiter.close() });
    rateLimiter = redisLimiter;
  }

  const orchestrator = createOrchestrator({
    db: context.database.db as unknown as Kysely<OrchDatabase>,
    schema: 'orch',
    roles: context.roles,
    bus: context.infra.bus,
    ...(overrides.subjectPrefix !== undefined ? { subjectPrefix: overrides.subjectPrefix } : {}),
    idempotencyCache,
    rateLimiter: rateLimiter ?? new LocalTokenBucketRateLimiter(),
    tenantSettings: overrides.tenantSettings ?? (await tenantSettingsFrom(env, context, tokens, closers)),
    senderLeases: senderLeases ?? unconfiguredSenderLeaseChecker('NUMBERING_GRPC_ADDRESS'),
    router: router ?? unconfiguredRouter('ROUTING_ENGINE_URL'),
    clock,
    ids: clockUuidv7(clock),
    logger,
    objectStore: context.infra.objectStore,
    registry: context.metrics,
    metrics,
    settings: {
      retryPolicy: { baseDelayMs: env.ORCH_RETRY_BASE_DELAY_MS, maxDelayMs: env.ORCH_RETRY_MAX_DELAY_MS, maxAttempts: env.ORCH_RETRY_MAX_ATTEMPTS },
      callbackUrlPolicy: { allowLoopbackHttp: env.ORCH_ALLOW_LOOPBACK_CALLBACKS ?? !production },
      pipelineConcurrency: env.ORCH_PIPELINE_CONCURRENCY,
      retrySweepIntervalMs: env.ORCH_RETRY_SWEEP_INTERVAL_MS,
      idempotencyPurgeIntervalMs: env.ORCH_IDEMPOTENCY_PURGE_INTERVAL_MS,
      partitions: {
        intervalMs: env.ORCH_PARTITION_MAINTENANCE_INTERVAL_MS,
        aheadDays: env.ORCH_PARTITIONS_AHEAD_DAYS,
        retentionDays: env.ORCH_PARTITION_RETENTION_DAYS,
        archivePrefix: env.ORCH_ARCHIVE_PREFIX,
      },
    },
  });

  const submitEnabled = env.SUBMIT_API_ENABLED ?? !production;
  apiRuntimes.set(context.app, {
    submitEnabled,
    authenticate: authenticate(context.verifier, { requireTenantHeader: true }),
    submitMessage: orchestrator.submitMessage,
    submitBulk: orchestrator.submitBulk,
    getMessage: orchestrator.getMessage,
    metrics: orchestrator.metrics,
  });
  if (!submitEnabled) logger.warn('SUBMIT_API_ENABLED is off: the submit API answers 503');

  await orchestrator.start();
  let callbackSecrets: SecretStore | undefined;
  const dispatcher = new CallbackDispatcher({
    db: context.database.db,
    schema: 'orch',
    systemRole: context.roles.systemRole,
    // Resolved on first use: a deployment without callbacks never needs the secret store.
    secretStore: () => (callbackSecrets ??= overrides.callbackSecrets ?? context.infra.secretStore('orch')),
    clock,
    logger: logger.child({ component: 'status-callbacks' }),
    registry: context.metrics,
    urlPolicy: { allowLoopbackHttp: env.ORCH_ALLOW_LOOPBACK_CALLBACKS ?? !production },
    retry: {
      baseDelayMs: env.ORCH_CALLBACK_BASE_DELAY_MS,
      maxDelayMs: env.ORCH_CALLBACK_MAX_DELAY_MS,
      maxAttempts: env.ORCH_CALLBACK_MAX_ATTEMPTS,
      timeoutMs: env.ORCH_CALLBACK_TIMEOUT_MS,
    },
  });
  let callbacks: StatusCallbacks;
  try {
    callbacks = await startStatusCallbacks({
      bus: context.infra.bus,
      subject: orchestrator.subjects.statusChanged,
      dispatcher,
      sweepIntervalMs: env.ORCH_CALLBACK_SWEEP_INTERVAL_MS,
      logger,
    });
  } catch (error) {
    await orchestrator.stop();
    throw error;
  }
  return {
    orchestrator,
    callbackDispatcher: dispatcher,
    readiness: orchestrator.readiness(),
    closers: [
      { name: 'sms-orchestrator status callbacks', close: () => callbacks.stop() },
      { name: 'sms-orchestrator relay, consumers and jobs', close: () => orchestrator.stop() },
      ...closers,
    ],
  };
}


/**
 * The service token for calls to other services: `ORCH_SERVICE_TOKEN`, or (outside production, the
 * env schema refuses it there) tokens minted with the embedded dev key of `<DATA_DIR>/auth`, created
 * on first use.
 */
function lazyServiceTokens(env: OrchestratorEnv, context: ServiceContext): ServiceTokenSource {
  if (env.ORCH_SERVICE_TOKEN !== undefined) return staticServiceToken(env.ORCH_SERVICE_TOKEN);
  let source: Promise<ServiceTokenSource> | undefined;
  return {
    async token() {
      source ??= createDevSigner({ keyDir: devKeyDir(context.env.DATA_DIR) }).then((signer) => devServiceToken(signer, context.clock));
      return (await source).token();
    },
  };
}

/**
 * Per-tenant submit settings: from config-service through @sms/config-client when
 * `CONFIG_SERVICE_URL` is set (cached 5 s, invalidated by config-service's change events, falling
 * back to the environment's defaults when it cannot answer), otherwise the defaults for everyone.
 */
async function tenantSettingsFrom(env: OrchestratorEnv, context: ServiceContext, tokens: ServiceTokenSource, closers: ShutdownStep[]): Promise<TenantSettings> {
  const defaults = {
    maxPartsPerMessage: env.ORCH_MAX_PARTS_PER_MESSAGE,
    submitRateLimit: { messagesPerSecond: env.ORCH_SUBMIT_RATE_PER_SECOND, burst: env.ORCH_SUBMIT_BURST },
  };
  if (env.CONFIG_SERVICE_URL === undefined) return new EnvTenantSettings(defaults);
  const warning = new ThrottledWarning(context.logger, 30_000);
  const client = createConfigClient({
    fetchResolved: createHttpConfigTransport({ baseUrl: env.CONFIG_SERVICE_URL, token: () => tokens.token(), timeoutMs: env.ORCH_DEPENDENCY_TIMEOUT_MS }),
    ttlMs: 5_000,
    clock: context.clock,
    onEvent: (event) => {
      if (event.kind !== 'fallback-used' || event.why === 'unavailable') warning.warn(event.kind === 'fetch-failed' ? event.error : undefined, `configuration client: ${event.kind}`);
    },
  });
  // Each replica keeps its own cache, so each needs every change event: a fan-out subscription (a
  // consumer of its own, removed when the replica stops; its cache starts empty, so earlier events do not matter).
  try {
    const subscription = await subscribeInvalidations(context.infra.bus, client, { durable: 'sms-orchestrator-config', delivery: { fanOut: true } });
    closers.push({ name: 'config-service invalidations', close: () => subscription.stop() });
  } catch (error) {
    context.logger.warn({ err: error }, 'cannot subscribe to config-service change events; tenant settings refresh every 5 s');
  }
  return new ConfigServiceTenantSettings(client, defaults);
}
