import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, createDevSigner, createJwtVerifier, devKeyDir } from '@sms/auth';
import type { JwtVerifier } from '@sms/auth';
import { createLogger } from '@sms/logging';
import type { Logger } from '@sms/logging';
import { loadConfigOrExit } from '@sms/config';
import { createShutdown, installSignalHandlers, startHttpServer } from '@sms/http';
import type { ShutdownStep } from '@sms/http';
import { initTracing } from '@sms/tracing';
import { createInfrastructure } from './infrastructure.js';
import type { Infrastructure } from './infrastructure.js';
import { runtimeEnv } from './runtime-env.js';
import type { RuntimeEnv } from './runtime-env.js';
import type { ServiceDefinition } from './service-definition.js';
import { buildServiceInstance } from './service-instance.js';
import type { ServiceInstance } from './service-instance.js';

export interface RunOptions {
  /** Port of the first service; the others follow. Default: each service's own `defaultPort`. */
  readonly basePort?: number;
  /** Process environment; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Writes the "service → URL" lines; default stdout. */
  readonly announce?: (line: string) => void;
  /** Install SIGTERM/SIGINT handlers that exit the process. Default true. */
  readonly handleSignals?: boolean;
}

export interface RunningPlatform {
  readonly env: RuntimeEnv;
  readonly infra: Infrastructure;
  readonly services: ReadonlyArray<{ readonly name: string; readonly url: string }>;
  readonly logger: Logger;
  /** Graceful stop: HTTP drains, then service closers, then infrastructure. Resolves with the exit code. */
  stop(reason?: string): Promise<number>;
}

/**
 * Runs the given services in this process on shared infrastructure: embedded when no
 * infrastructure URL is set, the production adapters otherwise. A service's own `main` calls it
 * with one definition; `apps/platform` with all of them.
 */
export async function runServices(definitions: readonly ServiceDefinition[], options: RunOptions = {}): Promise<RunningPlatform> {
  const processName = definitions.length === 1 ? (definitions[0]?.name ?? 'service') : 'sms-platform';
  const env = loadConfigOrExit(runtimeEnv, options.env ?? process.env, { service: processName });
  const logger = createLogger({ service: processName, level: env.LOG_LEVEL });
  const tracing = initTracing({
    service: processName,
    exporter: env.OTEL_TRACES_EXPORTER,
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  });
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));

  const infra = await createInfrastructure({ env, logger, streams: definitions.flatMap((d) => d.streams) });
  logger.info({ mode: infra.mode, adapters: infra.adapters }, 'infrastructure ready');

  // Embedded mode is a developer's machine: listen on loopback unless HOST says otherwise.
  const hostIsExplicit = (options.env ?? process.env).HOST !== undefined;
  const listenHost = infra.mode === 'embedded' && !hostIsExplicit ? '127.0.0.1' : env.HOST;

  const verifier = await createVerifier(env);

  const instances: ServiceInstance[] = [];
  const services: Array<{ name: string; url: string }> = [];
  try {
    for (const [index, definition] of definitions.entries()) {
      const instance = await buildServiceInstance(definition, infra, env, logger, verifier);
      instances.push(instance);
      const port = portFor(definition, index, definitions.length, options.basePort ?? env.BASE_PORT, env.PORT);
      const listening = await startHttpServer(instance.app, { host: listenHost, port });
      const host = listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost;
      services.push({ name: definition.name, url: `http://${host}:${listening.port}` });
    }
  } catch (error) {
    await Promise.allSettled(instances.map((i) => i.app.close()));
    for (const instance of instances) for (const step of instance.closers) await step.close().catch(() => undefined);
    await infra.close();
    await tracing.shutdown();
    throw error;
  }

  for (const service of services) announce(`${service.name.padEnd(20)} ${service.url}`);

  const steps: ShutdownStep[] = [
    ...instances.flatMap((i) => i.closers),
    { name: 'infrastructure', close: () => infra.close() },
    { name: 'tracing', close: () => tracing.shutdown() },
  ];
  const shutdown = createShutdown({
    logger,
    graceMs: env.SHUTDOWN_GRACE_MS,
    http: instances.map((i) => i.app),
    steps,
  });
  if (options.handleSignals ?? true) installSignalHandlers(shutdown);
  return { env, infra, services, logger, stop: (reason = 'stop requested') => shutdown.shutdown(reason) };
}

function portFor(definition: ServiceDefinition, index: number, count: number, basePort?: number, singlePort?: number): number {
  if (count === 1 && singlePort !== undefined) return singlePort;
  return basePort === undefined ? definition.defaultPort : basePort + index;
}

/**
 * The callers' token verifier. With JWT_JWKS_URL or JWT_PUBLIC_KEY, those; otherwise (development)
 * the dev key pair in DATA_DIR/auth, created on first start, whose tokens `npm run token` mints.
 */
async function createVerifier(env: RuntimeEnv): Promise<JwtVerifier> {
  const issuer = env.JWT_ISSUER ?? EMBEDDED_ISSUER;
  const audience = env.JWT_AUDIENCE ?? EMBEDDED_AUDIENCE;
  if (env.JWT_JWKS_URL !== undefined) return createJwtVerifier({ issuer, audience, jwksUrl: env.JWT_JWKS_URL });
  if (env.JWT_PUBLIC_KEY !== undefined) return createJwtVerifier({ issuer, audience, publicKeyPem: env.JWT_PUBLIC_KEY });
  const signer = await createDevSigner({ keyDir: devKeyDir(env.DATA_DIR) });
  return createJwtVerifier({ issuer, audience, publicKeyPem: signer.publicKeyPem });
}
