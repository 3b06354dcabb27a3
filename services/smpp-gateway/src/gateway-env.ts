import { z } from 'zod';
import { booleanFlag, describeEnv, httpUrl, integer, secretString } from '@sms/config';
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
  /** Period of the bind health reports to operator-management (besides one on every bind state change). */
  SMPP_HEALTH_REPORT_INTERVAL_MS: integer({ min: 1000, max: 3_600_000 }).default(15_000),
  /**
   * Days a submitted part (the SMSC id → message map) is kept for its delivery receipt. At least 4:
   * the longest validity period is 72 h, and a receipt arriving after its part is gone is dropped.
   */
  SMPP_SUBMITTED_PARTS_RETENTION_DAYS: integer({ min: 4, max: 3_650 }).default(7),
  /** How often the cleanup of old submitted parts runs (once per cluster: advisory lock). */
  SMPP_SUBMITTED_PARTS_CLEANUP_INTERVAL_MS: integer({ min: 60_000, max: 86_400_000 }).default(3_600_000),
  /** Parts deleted per transaction by the cleanup. */
  SMPP_SUBMITTED_PARTS_CLEANUP_BATCH: integer({ min: 100, max: 100_000 }).default(5_000),
  /** operator-management's base URL; with OPS_SERVICE_TOKEN, bind credentials come from its credentials endpoint. */
  OPS_BASE_URL: httpUrl().optional(),
  /** Bearer token with the gateway's service identity (`svc: smpp-gateway`) for operator-management (when it runs without mTLS). */
  OPS_SERVICE_TOKEN: secretString().optional(),
  /** The gateway's client certificate and key (PEM files, CN smpp-gateway) for operator-management's mTLS listener. */
  OPS_CLIENT_CERT_FILE: z.string().min(1).optional(),
  OPS_CLIENT_KEY_FILE: z.string().min(1).optional(),
  /** The CA of operator-management's server certificate (PEM file); the system CAs when unset. */
  OPS_CA_FILE: z.string().min(1).optional(),
});

export type GatewayEnv = z.infer<typeof gatewayEnv>;
