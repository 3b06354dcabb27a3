import { z } from 'zod';
import {
  describeEnv,
  httpUrl,
  integer,
  natsServers,
  nonEmptyString,
  oneOf,
  postgresUrl,
  redisUrl,
  requiredWith,
  secretString,
  url,
} from './env-schemas.js';

/** pino's levels, most to least severe, plus `silent`. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof logLevels)[number];

/**
 * Variables every service reads. Spread into the service's schema:
 * `z.object({ ...commonEnv, ...databaseEnv, PORT: port().default(3000) })`.
 */
export const commonEnv = {
  NODE_ENV: oneOf(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: oneOf(logLevels).default('info'),
  HOST: describeEnv(z.string().min(1), { expected: 'a host name or IP address to listen on' }).default('0.0.0.0'),
  SHUTDOWN_GRACE_MS: integer({ min: 0, max: 3_600_000 }).default(30_000),
  OTEL_TRACES_EXPORTER: oneOf(['none', 'console', 'otlp']).default('none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl().optional(),
};

/** PostgreSQL; absent means embedded mode. */
export const databaseEnv = {
  DATABASE_URL: postgresUrl().optional(),
};

/** Redis; absent means the in-memory cache. */
export const redisEnv = {
  REDIS_URL: redisUrl().optional(),
};

/** NATS JetStream servers (parsed to a list); absent means the in-process bus. */
export const natsEnv = {
  NATS_URL: natsServers().optional(),
};

/** Vault (KV v2, Transit); the token is required as soon as the address is set. */
export const vaultEnv = {
  VAULT_ADDR: httpUrl().optional(),
  VAULT_TOKEN: requiredWith(secretString('a Vault token'), 'VAULT_ADDR').optional(),
};

/** S3-compatible object store; the bucket is required as soon as the endpoint is set. */
export const s3Env = {
  S3_ENDPOINT: url().optional(),
  S3_BUCKET: requiredWith(nonEmptyString('a bucket name'), 'S3_ENDPOINT').optional(),
  S3_REGION: nonEmptyString('a region name').optional(),
};

/** Every optional infrastructure URL at once: the production adapters are chosen by which are set. */
export const infrastructureEnv = {
  ...databaseEnv,
  ...redisEnv,
  ...natsEnv,
  ...vaultEnv,
  ...s3Env,
};
