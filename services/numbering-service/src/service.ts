import { fileURLToPath } from 'node:url';
import { ServerCredentials } from '@grpc/grpc-js';
import type { JwtVerifier } from '@sms/auth';
import type { Cache } from '@sms/cache';
import type { HttpApp } from '@sms/http';
import type { ObjectStore } from '@sms/object-store';
import { createSigner } from '@sms/runtime';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import { InMemoryLeaseCache } from './index.js';
import type { OperatorKeyring } from './index.js';
import { FileOperatorKeyring } from './adapters/config/file-operator.keyring.js';
import { anomalyThresholdsFrom, grpcTlsFrom, loadNumberingEnv, policyFrom } from './adapters/config/numbering-env.js';
import { mutualTlsServerCredentials } from './adapters/grpc/grpc-tls.js';
import type { NumberingEnv } from './adapters/config/numbering-env.js';
import { registerNumberingRoutes } from './adapters/http/numbering-routes.js';
import type { NumberingHttpRuntime } from './adapters/http/numbering-routes.js';
import { registerRegulatorExportRoutes } from './adapters/http/regulator-export.routes.js';
import type { RegulatorExportHttpRuntime } from './adapters/http/regulator-export.routes.js';
import type { RegulatorExportSigner } from './index.js';
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
  /** The cache whose expiry events end reservations at their TTL, instead of `context.infra.cache('numbering:')`. */
  readonly expiryCache?: Cache;
  /** Where the regulator export writes, instead of `context.infra.objectStore`. */
  readonly objectStore?: ObjectStore;
  /** What signs the regulator export's manifest, instead of Vault Transit (VAULT_ADDR) or the local key in DATA_DIR. */
  readonly exportSigner?: RegulatorExportSigner;
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


/** mTLS of the gRPC port (and its client allowlist) when the certificate files are configured; plaintext otherwise (development). */
function grpcListenerSecurity(env: NumberingEnv): { readonly credentials: ServerCredentials; readonly allowedClients?: ReadonlySet<string> } {
  const tls = grpcTlsFrom(env);
  if (tls === null) return { credentials: ServerCredentials.createInsecure() };
  return { credentials: mutualTlsServerCredentials(tls.files), ...(tls.allowedClients === undefined ? {} : { allowedClients: tls.allowedClients }) };
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
  let exportRuntime: RegulatorExportHttpRuntime | null = null;
  const exportsRuntime = (): RegulatorExportHttpRuntime => {
    if (exportRuntime === null) throw new Error('numbering-service has not started');
    return exportRuntime;
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
      registerRegulatorExportRoutes(app, exportsRuntime);
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
              ...grpcListenerSecurity(env),
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
        idempotency: {
          retentionMs: env.NUMBERING_IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
          purgeBatchSize: env.NUMBERING_IDEMPOTENCY_PURGE_BATCH,
          purgeIntervalMs: env.NUMBERING_IDEMPOTENCY_PURGE_INTERVAL_MS,
        },
        keyring: options.keyring ?? new FileOperatorKeyring(env.NUMBERING_OPERATOR_KEYS_DIR),
        subjectPrefix: prefix,
        grpc,
        regulatorExport: {
          // Resolved on first use: a replica that never exports never touches the object store or Vault.
          objectStore: () => options.objectStore ?? context.infra.objectStore,
          signer: options.exportSigner ?? createSigner(context.env, env.NUMBERING_EXPORT_SIGNING_KEY),
          retentionYears: env.NUMBERING_EXPORT_RETENTION_YEARS,
        },
        ...(options.relayPollIntervalMs === undefined ? {} : { relayPollIntervalMs: options.relayPollIntervalMs }),
        ...(options.runJobs === undefined ? {} : { runJobs: options.runJobs }),
        ...(env.NUMBERING_RESERVATION_EXPIRY_EVENTS ? { expiryCache: options.expiryCache ?? context.infra.cache(`${SCHEMA}:`) } : {}),
        anomalyThresholds: anomalyThresholdsFrom(env),
        ...(env.NUMBERING_REGION === undefined ? {} : { region: env.NUMBERING_REGION }),
      });
      httpRuntime = started.http;
      exportRuntime = { verifier: started.http.verifier, exports: started.regulatorExport };
      this.registerApiRoutes(context.app);
      options.onStarted?.(started);
      return { readiness: started.readiness, closers: started.closers };
    },
  };
}

/** The service as `main.ts` and the platform run it. */
export const numberingService: ServiceDefinition = createNumberingService();
