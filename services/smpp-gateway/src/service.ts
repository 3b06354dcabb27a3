import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDevSigner, devKeyDir, devServiceToken, staticServiceToken } from '@sms/auth';
import type { ServiceTokenSource } from '@sms/auth';
import { loadConfigOrExit } from '@sms/config';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import { HttpCredentialsProvider } from './adapters/operator-management/http-credentials.provider.js';
import { ConfigCredentialsProvider } from './adapters/smpp/config-credentials.provider.js';
import type { SmppConnectionSettings } from './adapters/smpp/smpp-connection.js';
import { SmscSimulator } from './adapters/simulator/smsc-simulator.js';
import { DEFAULT_REBIND_BACKOFF } from './domain/submit-retry-policy.js';
import type { SmscIdForms } from './domain/smsc-message-id.js';
import { gatewayEnv } from './gateway-env.js';
import type { ConnectionConfig, GatewayEnv } from './gateway-env.js';
import { createSmppGateway } from './smpp-gateway.js';

const SCHEMA = 'smpp';

function connectionSettings(config: ConnectionConfig): SmppConnectionSettings {
  return {
    connectionId: config.connectionId,
    operatorId: config.operatorId,
    host: config.host,
    port: config.port,
    windowSize: config.windowSize,
    throughputPerSecond: config.throughputPerSecond,
    enquireLinkIntervalMs: config.enquireLinkIntervalMs,
    responseTimeoutMs: config.responseTimeoutMs,
    bindWaitMs: 10_000,
    rebindBackoff: DEFAULT_REBIND_BACKOFF,
    idForms: config.idForms as SmscIdForms,
  };
}

export interface SmppGatewayServiceOptions {
  /** Where the service reads its variables instead of `process.env` (the platform passes the embedded wiring). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Binds to the SMSCs of the operators over SMPP 3.4, submits messages and receives delivery receipts. */
export function createSmppGatewayService(options: SmppGatewayServiceOptions = {}): ServiceDefinition {
  return {
    name: 'smpp-gateway',
    schema: SCHEMA,
    apiVersion: '0.1.0',
    description: 'Binds to the SMSCs of the operators over SMPP 3.4, submits messages and receives delivery receipts.',
    defaultPort: 8085,
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    // The same stream as the orchestrator's: it consumes sms.outbound.request and publishes sms.delivery.status.
    streams: [{ name: 'SMS', subjects: ['sms.>'] }],
    registerApiRoutes(_app: HttpApp): void {
      // No HTTP API of its own: /health/live, /health/ready and /metrics come from @sms/http.
    },
    async start(context: ServiceContext): Promise<StartedService> {
      this.registerApiRoutes(context.app);
      const env = loadConfigOrExit(gatewayEnv, options.env ?? process.env, { service: 'smpp-gateway' });
      const logger = context.logger.child({ component: 'smpp-gateway' });

      const simulators: SmscSimulator[] = [];
      if (env.SMPP_SIMULATE) {
        for (const connection of env.SMPP_CONNECTIONS) {
          const simulator = new SmscSimulator({ systemId: connection.systemId, password: connection.password, host: connection.host, port: connection.port });
          await simulator.start();
          simulators.push(simulator);
          logger.info({ connectionId: connection.connectionId, port: connection.port }, 'SMSC simulator listening');
        }
      }

      if (env.SMPP_CONNECTIONS.length === 0) {
        // Without a connection every request would only be retried into the dead-letter stream; leave them queued.
        logger.warn('SMPP_CONNECTIONS is empty: the gateway does not consume sms.outbound.request');
        return { closers: simulators.map((s) => ({ name: 'smsc-simulator', close: () => s.stop() })) };
      }

      // operator-management holds the bind passwords in production; the configured ones are the embedded/test fallback.
      const tls =
        env.OPS_CLIENT_CERT_FILE !== undefined && env.OPS_CLIENT_KEY_FILE !== undefined
          ? {
              cert: readFileSync(env.OPS_CLIENT_CERT_FILE),
              key: readFileSync(env.OPS_CLIENT_KEY_FILE),
              ...(env.OPS_CA_FILE !== undefined ? { ca: readFileSync(env.OPS_CA_FILE) } : {}),
            }
          : undefined;
      const tokens = opsServiceTokens(env, context, tls !== undefined);
      const credentials =
        env.OPS_BASE_URL !== undefined && (tokens !== undefined || tls !== undefined)
          ? new HttpCredentialsProvider({
              baseUrl: env.OPS_BASE_URL,
              ...(tokens !== undefined ? { tokens } : {}),
              ...(tls !== undefined ? { tls } : {}),
              connections: new Map(env.SMPP_CONNECTIONS.map((c) => [c.connectionId, { operatorId: c.operatorId, systemType: c.systemType }])),
              clock: context.clock,
            })
          : new ConfigCredentialsProvider(env.SMPP_CONNECTIONS);
      logger.info({ source: credentials instanceof HttpCredentialsProvider ? 'operator-management' : 'config' }, 'bind credentials source');

      const gateway = createSmppGateway({
        db: context.database.db,
        listenPool: context.database.pool,
        schema: SCHEMA,
        systemRole: context.roles.systemRole,
        bus: context.infra.bus,
        connections: env.SMPP_CONNECTIONS.map(connectionSettings),
        credentials,
        clock: context.clock,
        ids: context.ids,
        logger,
        registry: context.metrics,
        settings: {
        outboundConcurrency: env.SMPP_OUTBOUND_CONCURRENCY,
        healthReportIntervalMs: env.SMPP_HEALTH_REPORT_INTERVAL_MS,
        submittedPartsCleanup: {
          retentionMs: env.SMPP_SUBMITTED_PARTS_RETENTION_DAYS * 86_400_000,
          intervalMs: env.SMPP_SUBMITTED_PARTS_CLEANUP_INTERVAL_MS,
          batchSize: env.SMPP_SUBMITTED_PARTS_CLEANUP_BATCH,
        },
      },
      });
      await gateway.start();
      return {
        readiness: gateway.readiness(),
        closers: [
          { name: 'smpp-gateway', close: () => gateway.stop() },
          ...simulators.map((s) => ({ name: 'smsc-simulator', close: () => s.stop() })),
        ],
      };
    },
  };
}

const GATEWAY_IDENTITY = { subject: 'service:smpp-gateway', serviceName: 'smpp-gateway', roles: ['service'] } as const;

/**
 * The gateway's bearer tokens for operator-management: `OPS_SERVICE_TOKEN`, or outside production (and without
 * mTLS) tokens minted with the embedded dev key of `<DATA_DIR>/auth` and minted again before they expire.
 */
function opsServiceTokens(env: GatewayEnv, context: ServiceContext, mtls: boolean): ServiceTokenSource | undefined {
  if (env.OPS_SERVICE_TOKEN !== undefined) return staticServiceToken(env.OPS_SERVICE_TOKEN);
  if (env.OPS_BASE_URL === undefined || mtls || context.env.NODE_ENV === 'production') return undefined;
  let source: Promise<ServiceTokenSource> | undefined;
  const claims = {
    ...(context.env.JWT_ISSUER !== undefined ? { issuer: context.env.JWT_ISSUER } : {}),
    ...(context.env.JWT_AUDIENCE !== undefined ? { audience: context.env.JWT_AUDIENCE } : {}),
  };
  return {
    async token() {
      source ??= createDevSigner({ keyDir: devKeyDir(context.env.DATA_DIR) }).then((signer) => devServiceToken(signer, GATEWAY_IDENTITY, context.clock, claims));
      return (await source).token();
    },
  };
}

/** The service as `main.ts` runs it: its variables from `process.env`. */
export const smppGatewayService: ServiceDefinition = createSmppGatewayService();
