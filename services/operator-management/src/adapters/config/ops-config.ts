import { z } from 'zod';
import { commonEnv, describeEnv, integer, loadConfig, nonEmptyString, port, type Env } from '@sms/config';

const serviceList = (fallback: string) => {
  const expected = 'a comma-separated list of service names (letters, digits, ".", "_", "-")';
  return describeEnv(
    z
      .string()
      .transform((raw) => raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))
      .refine((names) => names.length > 0 && names.every((n) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(n)), expected),
    { expected },
  ).default(fallback.split(','));
};

const pemFile = () => nonEmptyString('the path of a PEM file').optional();

const MTLS_FILES = ['OPS_MTLS_CERT_FILE', 'OPS_MTLS_KEY_FILE', 'OPS_MTLS_CLIENT_CA_FILE'] as const;

/**
 * operator-management's own variables (the runtime's are in @sms/runtime's `runtimeEnv`).
 * Validated at start; a bad one stops the process with a message naming it.
 *
 * - mTLS of the internal API (ARCHITECTURE.md: "REST (internal, mTLS in production)"): the server
 *   certificate, its key and the CA that signs client certificates, the port of the TLS listener
 *   and the client certificate CNs allowed in. All or none of the three files; all required when
 *   `NODE_ENV=production`.
 * Token verification is the runtime's (`JWT_*` variables of @sms/runtime, `context.verifier`).
 */
export const opsEnv = z
  .object({
    NODE_ENV: commonEnv.NODE_ENV,
    OPS_MTLS_PORT: port().default(8443),
    OPS_MTLS_CERT_FILE: pemFile(),
    OPS_MTLS_KEY_FILE: pemFile(),
    OPS_MTLS_CLIENT_CA_FILE: pemFile(),
    OPS_MTLS_ALLOWED_CLIENTS: serviceList('smpp-gateway,routing-engine,ops-console'),
    OPS_CREDENTIAL_READERS: serviceList('smpp-gateway'),
    OPS_HEALTH_REPORTERS: serviceList('smpp-gateway'),
    OPS_HEALTH_LOG_RETENTION_DAYS: integer({ min: 1, max: 3650 }).default(30),
    OPS_HEALTH_LOG_PREMAKE_DAYS: integer({ min: 1, max: 90 }).default(7),
    OPS_HEALTH_SWEEP_INTERVAL_MS: integer({ min: 1000, max: 3_600_000 }).default(30_000),
    OPS_PARTITION_MAINTENANCE_INTERVAL_MS: integer({ min: 60_000, max: 86_400_000 }).default(3_600_000),
    OPS_IDEMPOTENCY_PURGE_INTERVAL_MS: integer({ min: 60_000, max: 86_400_000 }).default(3_600_000),
  })
  .superRefine((env, ctx) => {
    const given = MTLS_FILES.filter((name) => env[name] !== undefined);
    const production = env.NODE_ENV === 'production';
    if (given.length > 0 || production) {
      for (const name of MTLS_FILES) {
        if (env[name] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: production ? 'required when NODE_ENV=production (the internal API is mTLS)' : 'required with the other OPS_MTLS_*_FILE variables',
          });
        }
      }
    }
  });

export type OpsEnv = z.infer<typeof opsEnv>;

/** Paths of the mTLS material; null when mTLS is off (development). */
export interface MtlsFiles {
  readonly port: number;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCaFile: string;
  readonly allowedClients: readonly string[];
}

export interface OpsConfig {
  readonly mtls: MtlsFiles | null;
  readonly credentialReaders: readonly string[];
  readonly healthReporters: readonly string[];
  readonly healthLog: { readonly retentionDays: number; readonly premakeDays: number };
  readonly healthSweepIntervalMs: number;
  readonly partitionMaintenanceIntervalMs: number;
  /** How often Idempotency-Key records older than 48 h are deleted. */
  readonly idempotencyPurgeIntervalMs: number;
}

/**
 * Reads and validates the variables.
 *
 * @throws ConfigError naming each bad or missing variable.
 */
export function loadOpsConfig(env: Env): OpsConfig {
  const e = loadConfig(opsEnv, env);
  const { OPS_MTLS_CERT_FILE: certFile, OPS_MTLS_KEY_FILE: keyFile, OPS_MTLS_CLIENT_CA_FILE: clientCaFile } = e;
  return {
    mtls:
      certFile !== undefined && keyFile !== undefined && clientCaFile !== undefined
        ? { port: e.OPS_MTLS_PORT, certFile, keyFile, clientCaFile, allowedClients: e.OPS_MTLS_ALLOWED_CLIENTS }
        : null,
    credentialReaders: e.OPS_CREDENTIAL_READERS,
    healthReporters: e.OPS_HEALTH_REPORTERS,
    healthLog: { retentionDays: e.OPS_HEALTH_LOG_RETENTION_DAYS, premakeDays: e.OPS_HEALTH_LOG_PREMAKE_DAYS },
    healthSweepIntervalMs: e.OPS_HEALTH_SWEEP_INTERVAL_MS,
    partitionMaintenanceIntervalMs: e.OPS_PARTITION_MAINTENANCE_INTERVAL_MS,
    idempotencyPurgeIntervalMs: e.OPS_IDEMPOTENCY_PURGE_INTERVAL_MS,
  };
}
