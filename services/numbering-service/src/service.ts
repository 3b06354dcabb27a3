import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ServerCredentials } from '@grpc/grpc-js';
import type { JwtVerifier } from '@sms/auth';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import { InMemoryLeaseCache } from './index.js';
import type { OperatorKeyring } from './index.js';
import { FileOperatorKeyring } from './adapters/config/file-operator.keyring.js';
import { loadNumberingEnv, policyFrom } from './adapters/config/numbering-env.js';
import type { NumberingEnv } from './adapters/config/numbering-env.js';
import { registerNumberingRoutes } from './adapters/http/numbering-routes.js';
import type { NumberingHttpRuntime } from './adapters/http/numbering-routes.js';
import { RedisLeaseCache } from './adapters/redis/redis-lease.cache.js';
import { startNumbering } from './composition/start-numbering.js';
import type { ManagedLeaseCache, NumberingRuntime } from './composition/start-numbering.js';

const SERVICE_NAME = 'numbering-service';
const SCHEMA = 'numbering';

export interface NumberingServiceOptions {
  /** Prefix of every subject this instance publishes and consumes (tests: a unique one; production: none). */
  readonly subjectPrefix?: string;
  /** Instead of reading the NUMBERING_* variables from the process environment. */
  readonly env?: NumberingEnv;
  /** Instead of `context.verifier`. */
  readonly verifier?: JwtVerifier;
  /** Instead of Redis (REDIS_URL) or memory. */
  readonly leaseCache?: ManagedLeaseCache;
  /** Instead of the key folder of NUMBERING_OPERATOR_KEYS_DIR. */
  readonly keyring?: OperatorKeyring;
  /** Where the gRPC API listens instead of NUMBERING_GRPC_HOST/PORT (port 0: a free one); null for no listener. */
  readonly grpc?: { readonly host: string; readonly port: number } | null;
  readonly relayPollIntervalMs?: number;
  /** false: do not start the scheduled jobs' timers (tests drive `runtime.scheduler.runOnce`). */
  readonly runJobs?: boolean;
  /** Called once started, with the instance's internals (tests, tools). */
  readonly onStarted?: (runtime: NumberingRuntime) => void;
}

/** mTLS of the gRPC port when the certificate files are configured; plaintext otherwise (development). */
function grpcCredentials(env: NumberingEnv): ServerCredentials {
  if (env.NUMBERING_GRPC_TLS_CERT_FILE === undefined) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(
    readFileSync(env.NUMBERING_GRPC_TLS_CA_FILE ?? ''),
    [{ cert_chain: readFileSync(env.NUMBERING_GRPC_TLS_CERT_FILE), private_key: readFileSync(env.NUMBERING_GRPC_TLS_KEY_FILE ?? '') }],
    true,
  );
}

/**
 * numbering-service as the runtime runs it (docs/overview.md): REST admin and tenant-portal APIs on the
 * HTTP port, the gRPC API on its own port, the outbox relay, the lease-cache invalidation consumer and the
 * scheduled jobs (reservation expiry, quarantine sweep, lease renewal; one replica at a time per job).
 * Built by a factory so tests can give each instance its own subject prefix, cache and listener.
 */
export function createNumberingService(options: NumberingServiceOptions = {}): ServiceDefinition {
  const prefix = options.subjectPrefix ?? '';
  let httpRuntime: NumberingHttpRuntime | null = null;
  const runtime = (): NumberingHttpRuntime => {
    if (httpRuntime === null) throw new Error('numbering-service has not started');
    return httpRuntime;
  };

  return {
    name: SERVICE_NAME,
    schema: SCHEMA,
    apiVersion: '0.2.0',
    description: 'MSISDN and short-code inventory, reservations, leases, quarantine, hash-chained audit and the regulator export.',
    defaultPort: 8081,
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    streams: [{ name: 'NUMBERING', subjects: [`${prefix}numbering.>`] }],

    registerApiRoutes(app: HttpApp): void {
      registerNumberingRoutes(app, runtime);
    },

    async start(context: ServiceContext): Promise<StartedService> {
      const env = options.env ?? loadNumberingEnv(process.env);
      const leaseCache: ManagedLeaseCache =
        options.leaseCache ??
        (context.env.REDIS_URL === undefined
          ? new InMemoryLeaseCache(context.clock, env.NUMBERING_LEASE_CACHE_TTL_MS)
          : new RedisLeaseCache({
              url: context.env.REDIS_URL,
              keyPrefix: `${SCHEMA}:`,
              ttlMs: env.NUMBERING_LEASE_CACHE_TTL_MS,
              logger: context.logger.child({ component: 'lease-cache' }),
            }));
      const grpc =
        options.grpc === null
          ? null
          : {
              host: options.grpc?.host ?? env.NUMBERING_GRPC_HOST,
              port: options.grpc?.port ?? env.NUMBERING_GRPC_PORT,
              credentials: grpcCredentials(env),
              graceMs: context.env.SHUTDOWN_GRACE_MS,
            };
      const started = await startNumbering({
        database: context.database,
        schema: SCHEMA,
        roles: context.roles,
        bus: context.infra.bus,
        leaseCache,
        clock: context.clock,
        ids: context.ids,
        logger: context.logger,
        registry: context.metrics,
        verifier: options.verifier ?? context.verifier,
        policy: policyFrom(env),
        keyring: options.keyring ?? new FileOperatorKeyring(env.NUMBERING_OPERATOR_KEYS_DIR),
        subjectPrefix: prefix,
        grpc,
        ...(options.relayPollIntervalMs === undefined ? {} : { relayPollIntervalMs: options.relayPollIntervalMs }),
        ...(options.runJobs === undefined ? {} : { runJobs: options.runJobs }),
      });
      httpRuntime = started.http;
      this.registerApiRoutes(context.app);
      options.onStarted?.(started);
      return { readiness: started.readiness, closers: started.closers };
    },
  };
}

/** The service as `main.ts` and the platform run it. */
export const numberingService: ServiceDefinition = createNumberingService();
