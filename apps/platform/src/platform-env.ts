import { z } from 'zod';
import { integer, nonEmptyString, oneOf } from '@sms/config';

/**
 * The platform process's own variables (each service validates its own; the runtime's are in
 * @sms/runtime). A bad value stops the process with a message naming it.
 */
export const platformEnv = z
  .object({
    NODE_ENV: oneOf(['development', 'test', 'production']).default('development'),
    /**
     * `demo`: at start, create what is missing of the demo topology (five operators on simulators,
     * their routing rules, tenant `demo` with short code 4455); `off`: nothing. Default: `demo` in
     * embedded mode (no infrastructure URL set) outside production, `off` otherwise.
     */
    PLATFORM_SEED: oneOf(['demo', 'off']).optional(),
    /** Where the operators' SMSC simulators listen (demo seed). */
    PLATFORM_SIMULATOR_HOST: nonEmptyString('a host or address to listen on').default('127.0.0.1'),
    /** Port of the first operator's simulator; the others follow. 0: free ports chosen at each start. */
    PLATFORM_SIMULATOR_BASE_PORT: integer({ min: 0, max: 65_530 }).default(2775),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.PLATFORM_SEED === 'demo') {
      ctx.addIssue({ code: 'custom', path: ['PLATFORM_SEED'], message: 'the demo seed is for development; it is refused when NODE_ENV=production' });
    }
  });

export type PlatformEnv = z.infer<typeof platformEnv>;
