import { z } from 'zod';
import { integer } from '@sms/config';

/**
 * The environment config-service reads beyond the runtime's (validated at start; a bad value stops
 * the service with a message naming the variable). Token verification is the runtime's
 * (JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URL or JWT_PUBLIC_KEY; the embedded dev key otherwise).
 */
export const configServiceEnv = z.object({
  /** How long a resolved configuration stays in the resolution cache without being invalidated. */
  CONFIG_RESOLUTION_CACHE_TTL_MS: integer({ min: 1000, max: 86_400_000 }).default(300_000),
  /** How often each replica reloads the roles, besides reloading on policy-change events. */
  CONFIG_POLICY_RELOAD_MS: integer({ min: 1000, max: 3_600_000 }).default(30_000),
  /** How often Idempotency-Key records older than 48 h are deleted (once per cluster: advisory lock). */
  CONFIG_IDEMPOTENCY_PURGE_INTERVAL_MS: integer({ min: 60_000, max: 86_400_000 }).default(3_600_000),
});

export type ConfigServiceEnv = z.infer<typeof configServiceEnv>;
