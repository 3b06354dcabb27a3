import { z } from 'zod';
import { booleanFlag, describeEnv, integer, loadConfig, nonEmptyString, port, requiredWith } from '@sms/config';
import { checkAnomalyThresholds, createNumberingPolicy, defaultAnomalyThresholds } from '../../index.js';
import type { AnomalyThresholds, NumberingPolicy } from '../../index.js';
import type { GrpcServerTlsFiles } from '../grpc/grpc-tls.js';

const days = () => integer({ min: 0, max: 3650 }).optional();

/**
 * numbering-service's own variables (the runtime's are in @sms/runtime): validated with Zod at start, a
 * bad one stops the service with a message naming it.
 */
export const numberingEnv = z.object({
  /** Port of the gRPC API (ValidateLease, Lookup, Reserve, Assign, Release, Recall). */
  NUMBERING_GRPC_PORT: port().default(9081),
  NUMBERING_GRPC_HOST: nonEmptyString('a host or address to bind').default('0.0.0.0'),
  /** mTLS of the gRPC port: the server's certificate and key, and the CA whose client certificates are accepted. */
  NUMBERING_GRPC_TLS_CERT_FILE: nonEmptyString('a PEM file path').optional(),
  NUMBERING_GRPC_TLS_KEY_FILE: requiredWith(nonEmptyString('a PEM file path'), 'NUMBERING_GRPC_TLS_CERT_FILE').optional(),
  NUMBERING_GRPC_TLS_CA_FILE: requiredWith(nonEmptyString('a PEM file path'), 'NUMBERING_GRPC_TLS_CERT_FILE').optional(),
  /** Common names of the client certificates allowed to call, comma-separated. Unset: any certificate from the CA. */
  NUMBERING_GRPC_TLS_ALLOWED_CLIENTS: describeEnv(
    z
      .string()
      .transform((raw) => raw.split(',').map((name) => name.trim()))
      .pipe(z.array(z.string().min(1)).min(1)),
    { expected: 'comma-separated certificate common names' },
  ).optional(),
  /** Folder of the operators' signature keys: `<dir>/<OPERATOR_CODE>/<key id>.pem`. Unset: no import verifies. */
  NUMBERING_OPERATOR_KEYS_DIR: nonEmptyString('a folder path').optional(),
  /** How long an idempotency key replays its first answer; the hourly purge job deletes keys past it. */
  NUMBERING_IDEMPOTENCY_RETENTION_HOURS: integer({ min: 1, max: 8760 }).default(48),
  /** Keys the purge job deletes per statement. */
  NUMBERING_IDEMPOTENCY_PURGE_BATCH: integer({ min: 1, max: 100_000 }).default(1000),
  NUMBERING_IDEMPOTENCY_PURGE_INTERVAL_MS: integer({ min: 1000, max: 86_400_000 }).default(3_600_000),
  /** Lifetime of a lease-cache entry (bounds staleness if every invalidation failed). */
  NUMBERING_LEASE_CACHE_TTL_MS: integer({ min: 1000, max: 3_600_000 }).default(60_000),
  /** Quarantine cool-offs in days (defaults 90 / 30 / 365 / 0, approved by Legal). */
  NUMBERING_COOLOFF_RELEASED_DAYS: days(),
  NUMBERING_COOLOFF_RESERVATION_EXPIRED_DAYS: days(),
  NUMBERING_COOLOFF_COMPLIANCE_RECALL_DAYS: days(),
  NUMBERING_COOLOFF_RESERVATION_CANCELLED_DAYS: days(),
  /** The regulator export's signing key: a Vault Transit key name in production, `<DATA_DIR>/signing/<name>.pem` in embedded mode. */
  NUMBERING_EXPORT_SIGNING_KEY: nonEmptyString('a signing key name').default('numbering-regulator-export'),
  /** Write-once retention of every regulator export object, in years (the checklist asks 7; never less). */
  NUMBERING_EXPORT_RETENTION_YEARS: integer({ min: 7, max: 100 }).default(7),
  /**
   * End reservations at their TTL through cache expiry events (Redis keyspace events, which need
   * `notify-keyspace-events` to include `Ex`); false leaves it to the safety-net job alone (within a minute).
   */
  NUMBERING_RESERVATION_EXPIRY_EVENTS: booleanFlag().default(true),
  /**
   * This deployment's region in a multi-region setup (docs/adr/0004): a number's state changes only when this
   * region owns its block (`range_ownership`). Unset: single region, no fence.
   */
  NUMBERING_REGION: describeEnv(z.string().regex(/^[a-z][a-z0-9-]{1,31}$/), { expected: 'a region name (lower-case letters, digits, dashes)' }).optional(),
  /** Anomaly signals (docs/events.md): the sliding window, and the thresholds that raise a signal. */
  NUMBERING_ANOMALY_WINDOW_SECONDS: integer({ min: 1, max: 86_400 }).default(defaultAnomalyThresholds.windowMs / 1000),
  NUMBERING_ANOMALY_CHURN_CYCLES: integer({ min: 1, max: 1_000_000 }).default(defaultAnomalyThresholds.churnCycles),
  NUMBERING_ANOMALY_CONFLICT_RATE_PERCENT: integer({ min: 1, max: 100 }).default(defaultAnomalyThresholds.conflictRate * 100),
  NUMBERING_ANOMALY_MIN_ATTEMPTS: integer({ min: 1, max: 1_000_000 }).default(defaultAnomalyThresholds.minAttempts),
});

export type NumberingEnv = z.infer<typeof numberingEnv>;

/** The gRPC port's mutual TLS files and client allowlist; null when the port is plaintext (development). */
export function grpcTlsFrom(env: NumberingEnv): { readonly files: GrpcServerTlsFiles; readonly allowedClients?: ReadonlySet<string> } | null {
  const { NUMBERING_GRPC_TLS_CERT_FILE: certFile, NUMBERING_GRPC_TLS_KEY_FILE: keyFile, NUMBERING_GRPC_TLS_CA_FILE: caFile } = env;
  if (certFile === undefined || keyFile === undefined || caFile === undefined) return null;
  const allowed = env.NUMBERING_GRPC_TLS_ALLOWED_CLIENTS;
  return { files: { certFile, keyFile, caFile }, ...(allowed === undefined ? {} : { allowedClients: new Set(allowed) }) };
}

/** Reads and validates the variables (throws `ConfigError` naming every bad one). */
export const loadNumberingEnv = (env: NodeJS.ProcessEnv = process.env): NumberingEnv => loadConfig(numberingEnv, env);

/** The numbering policy with the cool-offs the environment overrides. */
export function policyFrom(env: NumberingEnv): NumberingPolicy {
  const coolOffDays = {
    ...(env.NUMBERING_COOLOFF_RELEASED_DAYS === undefined ? {} : { released: env.NUMBERING_COOLOFF_RELEASED_DAYS }),
    ...(env.NUMBERING_COOLOFF_RESERVATION_EXPIRED_DAYS === undefined ? {} : { reservation_expired: env.NUMBERING_COOLOFF_RESERVATION_EXPIRED_DAYS }),
    ...(env.NUMBERING_COOLOFF_COMPLIANCE_RECALL_DAYS === undefined ? {} : { compliance_recall: env.NUMBERING_COOLOFF_COMPLIANCE_RECALL_DAYS }),
    ...(env.NUMBERING_COOLOFF_RESERVATION_CANCELLED_DAYS === undefined ? {} : { reservation_cancelled: env.NUMBERING_COOLOFF_RESERVATION_CANCELLED_DAYS }),
  };
  return createNumberingPolicy({ coolOffDays });
}

/** The anomaly-signal thresholds the environment sets. */
export function anomalyThresholdsFrom(env: NumberingEnv): AnomalyThresholds {
  return checkAnomalyThresholds({
    windowMs: env.NUMBERING_ANOMALY_WINDOW_SECONDS * 1000,
    churnCycles: env.NUMBERING_ANOMALY_CHURN_CYCLES,
    conflictRate: env.NUMBERING_ANOMALY_CONFLICT_RATE_PERCENT / 100,
    minAttempts: env.NUMBERING_ANOMALY_MIN_ATTEMPTS,
  });
}
