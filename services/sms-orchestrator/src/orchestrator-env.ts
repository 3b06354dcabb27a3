import { z } from 'zod';
import type { NumberingClientTls } from './adapters/grpc/numbering-channel.js';
import { booleanFlag, commonEnv, describeEnv, httpUrl, integer, nonEmptyString, secretString } from '@sms/config';

/**
 * The orchestrator's own environment (the runtime's — database, Redis, NATS, JWT verification … —
 * is validated by @sms/runtime). Read once at start; a bad value stops the process with a message naming it.
 */
export const orchestratorEnv = z
  .object({
    NODE_ENV: commonEnv.NODE_ENV,
    /**
     * The feature flag of the submit API (MIGRATION_PLAN §6): off, the three endpoints answer 503
     * `ORCH.SUBMIT_API_DISABLED`. Default: on outside production, off in production (phase 0 of
     * the rollout deploys with the flag off).
     */
    SUBMIT_API_ENABLED: booleanFlag().optional(),
    /**
     * config-service base URL: per-tenant maximum parts and submit rate (`sms.max_parts_per_message`,
     * `sms.submit_rate_per_second`) through @sms/config-client. Unset: the defaults below for everyone.
     */
    CONFIG_SERVICE_URL: httpUrl().optional(),
    /** Tenant default of the maximum parts per message (and the fallback while config-service cannot answer). */
    ORCH_MAX_PARTS_PER_MESSAGE: integer({ min: 1, max: 255 }).default(10),
    /** Tenant default of the submit rate limit (messages per second and burst). */
    ORCH_SUBMIT_RATE_PER_SECOND: integer({ min: 1, max: 1_000_000 }).default(100),
    ORCH_SUBMIT_BURST: integer({ min: 1, max: 1_000_000 }).default(1_000),
    /** Accept plain-http loopback callback URLs (development only). Default: on outside production. */
    ORCH_ALLOW_LOOPBACK_CALLBACKS: booleanFlag().optional(),
    /** numbering-service gRPC address for ValidateLease, `host:port`. Unset: every lease check is "unavailable". */
    NUMBERING_GRPC_ADDRESS: describeEnv(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/), { expected: 'host:port' }).optional(),
    /**
     * Mutual TLS towards numbering-service: the CA of its server certificate, and the orchestrator's
     * client certificate and key (all three, or none: plaintext). The server-name override is for a
     * certificate that does not name the host of NUMBERING_GRPC_ADDRESS.
     */
    ORCH_NUMBERING_TLS_CA_FILE: nonEmptyString('a PEM file path').optional(),
    ORCH_NUMBERING_TLS_CERT_FILE: nonEmptyString('a PEM file path').optional(),
    ORCH_NUMBERING_TLS_KEY_FILE: nonEmptyString('a PEM file path').optional(),
    ORCH_NUMBERING_TLS_SERVER_NAME: nonEmptyString('a DNS name').optional(),
    /** routing-engine base URL. Unset: every route query is "unavailable". */
    ROUTING_ENGINE_URL: httpUrl().optional(),
    /**
     * Bearer token the orchestrator presents to numbering-service and routing-engine (a service
     * identity with the `service` role). Outside production, unset: minted with the embedded dev key.
     */
    ORCH_SERVICE_TOKEN: secretString('a service bearer token').optional(),
    /** Timeout of one dependency call (lease check, route query). */
    ORCH_DEPENDENCY_TIMEOUT_MS: integer({ min: 50, max: 60_000 }).default(2_000),
    ORCH_RETRY_BASE_DELAY_MS: integer({ min: 1, max: 3_600_000 }).default(1_000),
    ORCH_RETRY_MAX_DELAY_MS: integer({ min: 1, max: 86_400_000 }).default(60_000),
    ORCH_RETRY_MAX_ATTEMPTS: integer({ min: 1, max: 100 }).default(6),
    ORCH_RETRY_SWEEP_INTERVAL_MS: integer({ min: 50, max: 3_600_000 }).default(1_000),
    /** Parallel pipeline workers (subscriptions sharing the accepted-event durable). */
    ORCH_PIPELINE_CONCURRENCY: integer({ min: 1, max: 256 }).default(16),
    ORCH_IDEMPOTENCY_PURGE_INTERVAL_MS: integer({ min: 1_000, max: 86_400_000 }).default(3_600_000),
    ORCH_PARTITION_MAINTENANCE_INTERVAL_MS: integer({ min: 1_000, max: 86_400_000 }).default(3_600_000),
    ORCH_PARTITIONS_AHEAD_DAYS: integer({ min: 1, max: 60 }).default(7),
    ORCH_PARTITION_RETENTION_DAYS: integer({ min: 1, max: 3_650 }).default(90),
    /** Status callbacks: attempts in all (the first included) before a delivery is recorded as failed. */
    ORCH_CALLBACK_MAX_ATTEMPTS: integer({ min: 1, max: 100 }).default(8),
    /** Status callbacks: delay before the second attempt, doubled each time (with jitter) up to the maximum. */
    ORCH_CALLBACK_BASE_DELAY_MS: integer({ min: 1, max: 3_600_000 }).default(5_000),
    ORCH_CALLBACK_MAX_DELAY_MS: integer({ min: 1, max: 86_400_000 }).default(3_600_000),
    /** Time limit of one callback POST. */
    ORCH_CALLBACK_TIMEOUT_MS: integer({ min: 100, max: 60_000 }).default(5_000),
    ORCH_CALLBACK_SWEEP_INTERVAL_MS: integer({ min: 50, max: 3_600_000 }).default(1_000),
    /** Object-store prefix of archived partitions (Parquet). */
    ORCH_ARCHIVE_PREFIX: nonEmptyString('an object key prefix').default('orch/sms_messages'),
  })
  .superRefine((env, ctx) => {
    const callsServices = env.NUMBERING_GRPC_ADDRESS !== undefined || env.ROUTING_ENGINE_URL !== undefined || env.CONFIG_SERVICE_URL !== undefined;
    if (env.NODE_ENV === 'production' && callsServices && env.ORCH_SERVICE_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ORCH_SERVICE_TOKEN'], message: 'required in production to call numbering-service, routing-engine and config-service' });
    }
    const tlsFiles = {
      ORCH_NUMBERING_TLS_CA_FILE: env.ORCH_NUMBERING_TLS_CA_FILE,
      ORCH_NUMBERING_TLS_CERT_FILE: env.ORCH_NUMBERING_TLS_CERT_FILE,
      ORCH_NUMBERING_TLS_KEY_FILE: env.ORCH_NUMBERING_TLS_KEY_FILE,
    };
    if (Object.values(tlsFiles).some((file) => file !== undefined)) {
      for (const [name, file] of Object.entries(tlsFiles)) {
        if (file === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'required with the other ORCH_NUMBERING_TLS_* files (all three, or none)' });
      }
    }
    if (env.ORCH_RETRY_MAX_DELAY_MS < env.ORCH_RETRY_BASE_DELAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['ORCH_RETRY_MAX_DELAY_MS'], message: 'must not be below ORCH_RETRY_BASE_DELAY_MS' });
    }
  });

export type OrchestratorEnv = z.infer<typeof orchestratorEnv>;

/** The mutual TLS files towards numbering-service; null when they are not configured (plaintext). */
export function numberingTlsFrom(env: OrchestratorEnv): NumberingClientTls | null {
  const { ORCH_NUMBERING_TLS_CA_FILE: caFile, ORCH_NUMBERING_TLS_CERT_FILE: certFile, ORCH_NUMBERING_TLS_KEY_FILE: keyFile } = env;
  if (caFile === undefined || certFile === undefined || keyFile === undefined) return null;
  const serverName = env.ORCH_NUMBERING_TLS_SERVER_NAME;
  return { caFile, certFile, keyFile, ...(serverName === undefined ? {} : { serverName }) };
}
