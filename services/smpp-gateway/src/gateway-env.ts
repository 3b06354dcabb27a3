import { z } from 'zod';
import { booleanFlag, describeEnv, integer } from '@sms/config';
import { SMSC_ID_FORMS } from './domain/smsc-message-id.js';

/** One operator connection in `SMPP_CONNECTIONS`. */
export const connectionConfig = z
  .object({
    connectionId: z.string().min(1).max(128),
    operatorId: z.string().min(1).max(64),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    systemId: z.string().min(1).max(16),
    password: z.string().min(1).max(9),
    systemType: z.string().max(13).default(''),
    windowSize: z.number().int().min(1).max(1000).default(10),
    throughputPerSecond: z.number().positive().max(100_000).default(50),
    enquireLinkIntervalMs: z.number().int().min(1000).default(30_000),
    responseTimeoutMs: z.number().int().min(100).default(10_000),
    idForms: z.enum(SMSC_ID_FORMS as [string, ...string[]]).default('same'),
  })
  .strict();

export type ConnectionConfig = z.infer<typeof connectionConfig>;

const connectionsExpected = 'a JSON array of SMPP connections (docs/overview.md, "Configuration")';

/**
 * The gateway's own environment. `SMPP_CONNECTIONS` carries bind passwords, so it is treated as a
 * secret (never echoed in error messages); it is the embedded/test source of credentials, production
 * takes them from operator-management (docs/overview.md).
 */
export const gatewayEnv = z.object({
  SMPP_CONNECTIONS: describeEnv(
    z
      .string()
      .transform((raw, context) => {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          context.addIssue({ code: 'custom', message: connectionsExpected });
          return z.NEVER;
        }
      })
      .pipe(z.array(connectionConfig)),
    { expected: connectionsExpected, secret: true },
  ).default([]),
  /** Start one SMSC simulator per configured connection, on its host and port with its credentials (embedded mode, demos). */
  SMPP_SIMULATE: booleanFlag().default(false),
  /** Outbound requests handled in parallel (subscriptions sharing the durable). */
  SMPP_OUTBOUND_CONCURRENCY: integer({ min: 1, max: 256 }).default(8),
});

export type GatewayEnv = z.infer<typeof gatewayEnv>;
