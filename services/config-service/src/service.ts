import { fileURLToPath } from 'node:url';
import { authenticate } from '@sms/auth';
import { loadConfig } from '@sms/config';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import { registerConfigRoutes } from './adapters/http/config-routes.js';
import type { ConfigHttpRuntime } from './adapters/http/config-routes.js';
import { configServiceEnv } from './config-service-env.js';
import { RedisResolutionCache } from './adapters/redis/redis-resolution-cache.js';
import type { ResolutionCache } from './application/ports/resolution-cache.port.js';
import { InMemoryResolutionCache } from './application/testing/in-memory-resolution-cache.js';
import { startConfigService } from './composition.js';

/** Registered routes answer only once `start` has filled this in (the OpenAPI generator never calls them). */
const notStarted = (): ConfigHttpRuntime => {
  throw new Error('config-service routes were called before the service started');
};

/** Hierarchical configuration from GLOBAL down to tenants: resolution, locks, versions, ABAC. */
export const configService: ServiceDefinition = {
  name: 'config-service',
  schema: 'config',
  apiVersion: '0.2.0',
  description: 'Hierarchical configuration from GLOBAL down to tenants: resolution, locks, versions, ABAC.',
  defaultPort: 8083,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  streams: [
    { name: 'CONFIG', subjects: ['config.>'] },
    // Tenant lifecycle and compliance events come from outside the platform; this stream receives them.
    { name: 'TENANT', subjects: ['tenant.>', 'compliance.>'] },
  ],
  registerApiRoutes(app: HttpApp): void {
    registerConfigRoutes(app, notStarted);
  },
  async start(context: ServiceContext): Promise<StartedService> {
    const env = loadConfig(configServiceEnv, process.env);
    const redisUrl = context.env.REDIS_URL;
    const resolutionCache: ResolutionCache & { close?: () => Promise<void> } =
      redisUrl === undefined
        ? new InMemoryResolutionCache(context.clock, env.CONFIG_RESOLUTION_CACHE_TTL_MS)
        : new RedisResolutionCache({
            url: redisUrl,
            keyPrefix: 'config:{resolution}:',
            ttlMs: env.CONFIG_RESOLUTION_CACHE_TTL_MS,
            onError: (error) => context.logger.warn({ error: error.message }, 'resolution cache (Redis) connection error'),
          });
    if (resolutionCache instanceof RedisResolutionCache) {
      // Not fatal: until Redis answers, every resolution is a cache miss served from PostgreSQL.
      await resolutionCache.ready(2000).catch((error: Error) => context.logger.warn({ error: error.message }, 'resolution cache (Redis) not ready'));
    }
    const runtime = await startConfigService({
      database: context.database,
      schema: configService.schema,
      roles: context.roles,
      bus: context.infra.bus,
      resolutionCache,
      clock: context.clock,
      ids: context.ids,
      logger: context.logger,
      registry: context.metrics,
      policyReloadIntervalMs: env.CONFIG_POLICY_RELOAD_MS,
      idempotencyPurgeIntervalMs: env.CONFIG_IDEMPOTENCY_PURGE_INTERVAL_MS,
    });
    const http: ConfigHttpRuntime = {
      useCases: runtime.useCases,
      authenticate: authenticate(context.verifier),
      metrics: runtime.metrics,
      idempotency: runtime.idempotency,
    };
    registerConfigRoutes(context.app, () => http);
    return {
      readiness: [
        ...runtime.readiness,
        ...(resolutionCache instanceof RedisResolutionCache
          ? [{ name: 'resolution-cache', critical: false, check: async () => void (await resolutionCache.ping()) }]
          : []),
      ],
      closers: [
        ...runtime.closers,
        ...(resolutionCache instanceof RedisResolutionCache ? [{ name: 'resolution cache', close: () => resolutionCache.close() }] : []),
      ],
    };
  },
};
