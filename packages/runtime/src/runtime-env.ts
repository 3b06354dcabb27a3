import { z } from 'zod';
import { booleanFlag, commonEnv, describeEnv, httpUrl, infrastructureEnv, integer, nonEmptyString, port } from '@sms/config';

/**
 * The environment of the runtime, shared by every service's `main` and by the platform process.
 * Each production adapter is chosen by its URL being set; with none set, the platform runs embedded.
 */
export const runtimeEnv = z
  .object({
    ...commonEnv,
    ...infrastructureEnv,
    /** Where embedded mode keeps PostgreSQL's data, the local secret key and the object store. */
    DATA_DIR: nonEmptyString('a folder path').default('.data'),
    EMBEDDED_PG_PORT: port().default(54329),
    /** Port of a service run on its own (default: the service's own default port). */
    PORT: port().optional(),
    /** Port of the first service when several run in one process; the others follow (default: each one's own). */
    BASE_PORT: port().optional(),
    /** Base64 of 32 random bytes; the local secret store's master key. Embedded mode creates one in DATA_DIR when unset. */
    SECRETS_MASTER_KEY: nonEmptyString('base64 of 32 random bytes').optional(),
    /** Run the service's migrations at start. Default: on in embedded mode, off otherwise (run `npm run migrate`). */
    MIGRATE_ON_START: booleanFlag().optional(),
    /** Prefix of the NATS stream names (tests use a unique one per run). */
    NATS_STREAM_PREFIX: nonEmptyString('a stream name prefix').default(''),
    /**
     * A first subject token added on the wire to every subject (`<prefix>.sms.outbound.request`), so several platforms
     * can share one NATS server: JetStream refuses two streams whose subjects overlap. Tests set a unique one per run.
     */
    NATS_SUBJECT_PREFIX: describeEnv(z.string().regex(/^[A-Za-z0-9_-]+$/), { expected: 'one subject token (letters, digits, _ or -)' }).optional(),
    /** JWT verification of callers (Kong verifies too; services check again). Embedded mode uses the dev key in DATA_DIR/auth. */
    JWT_ISSUER: nonEmptyString('the issuer (iss) of accepted tokens').optional(),
    JWT_AUDIENCE: nonEmptyString('the audience (aud) of accepted tokens').optional(),
    JWT_JWKS_URL: httpUrl().optional(),
    JWT_PUBLIC_KEY: nonEmptyString('a PEM public key').optional(),
    /** Pool size per service. */
    DATABASE_POOL_MAX: integer({ min: 1, max: 200 }).default(10),
  })
  .superRefine((env, ctx) => {
    if (env.JWT_JWKS_URL !== undefined && env.JWT_PUBLIC_KEY !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'set either JWT_JWKS_URL or JWT_PUBLIC_KEY, not both' });
    }
    if (env.NODE_ENV !== 'production') return;
    if (env.JWT_JWKS_URL === undefined && env.JWT_PUBLIC_KEY === undefined) {
      ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'JWT_JWKS_URL or JWT_PUBLIC_KEY is required when NODE_ENV=production' });
    }
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'VAULT_ADDR', 'S3_ENDPOINT'] as const) {
      if (env[name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'required when NODE_ENV=production (embedded fallbacks are for development only)',
        });
      }
    }
  });

export type RuntimeEnv = z.infer<typeof runtimeEnv>;
