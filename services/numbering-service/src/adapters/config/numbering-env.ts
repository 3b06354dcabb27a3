import { z } from 'zod';
import { integer, loadConfig, nonEmptyString, port, requiredWith } from '@sms/config';
import { createNumberingPolicy } from '../../index.js';
import type { NumberingPolicy } from '../../index.js';

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
  /** Folder of the operators' signature keys: `<dir>/<OPERATOR_CODE>/<key id>.pem`. Unset: no import verifies. */
  NUMBERING_OPERATOR_KEYS_DIR: nonEmptyString('a folder path').optional(),
  /** Lifetime of a lease-cache entry (bounds staleness if every invalidation failed). */
  NUMBERING_LEASE_CACHE_TTL_MS: integer({ min: 1000, max: 3_600_000 }).default(60_000),
  /** Quarantine cool-offs in days (defaults 90 / 30 / 365 / 0, approved by Legal). */
  NUMBERING_COOLOFF_RELEASED_DAYS: days(),
  NUMBERING_COOLOFF_RESERVATION_EXPIRED_DAYS: days(),
  NUMBERING_COOLOFF_COMPLIANCE_RECALL_DAYS: days(),
  NUMBERING_COOLOFF_RESERVATION_CANCELLED_DAYS: days(),
});

export type NumberingEnv = z.infer<typeof numberingEnv>;

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
