import { join } from 'node:path';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER, createDevSigner, devKeyDir } from '@sms/auth';
import type { DevSigner } from '@sms/auth';
import { loadConfigOrExit } from '@sms/config';
import { runServices, runtimeEnv } from '@sms/runtime';
import type { RunningPlatform, RuntimeEnv, ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import { configService } from '../../../services/config-service/src/service.js';
import { numberingEnv } from '../../../services/numbering-service/src/adapters/config/numbering-env.js';
import { createNumberingService } from '../../../services/numbering-service/src/service.js';
import { loadOpsConfig } from '../../../services/operator-management/src/adapters/config/ops-config.js';
import { createOperatorManagementService } from '../../../services/operator-management/src/service.js';
import { routingEngineService } from '../../../services/routing-engine/src/service.js';
import { SmscSimulator, createSmppGatewayService } from '../../../services/smpp-gateway/src/index.js';
import { createSmsOrchestratorService } from '../../../services/sms-orchestrator/src/service.js';
import { platformEnv } from './platform-env.js';
import type { PlatformEnv } from './platform-env.js';
import { seedDemo } from './seed/demo-seed.js';
import type { DemoSeedResult } from './seed/demo-seed.js';
import type { SmscAddress } from './seed/seed-operators.js';
import { DEMO_TOPOLOGY } from './topology.js';
import type { PlatformTopology } from './topology.js';

export interface PlatformOptions {
  /** The platform's environment: `process.env` for `npm start`, the test's own for the end-to-end tests. */
  readonly env: NodeJS.ProcessEnv;
  /** What the demo seed creates; default {@link DEMO_TOPOLOGY}. */
  readonly topology?: PlatformTopology;
  readonly announce?: (line: string) => void;
  /** Install SIGTERM/SIGINT handlers that exit the process (`npm start`). Default true. */
  readonly handleSignals?: boolean;
}

export interface Platform {
  readonly running: RunningPlatform;
  /** Base URL of every service by name (`sms-orchestrator` → `http://127.0.0.1:8080`). */
  readonly urls: ReadonlyMap<string, string>;
  /** The operators' SMSC simulators by operator code; empty when the demo seed is off or SMPP_CONNECTIONS is set. */
  readonly simulators: ReadonlyMap<string, SmscSimulator>;
  /** What the demo seed found or made at start; null when it is off. */
  readonly seed: DemoSeedResult | null;
  /** Runs the demo seed again against the running services (a second run changes nothing); refused when it is off. */
  seedAgain(): Promise<DemoSeedResult>;
  /** Graceful stop of the services, then the simulators. Resolves with the exit code. */
  stop(reason?: string): Promise<number>;
}

/** Service names in start order (providers before their consumers); the ports follow this order. */
const SERVICE_ORDER = ['config-service', 'operator-management', 'numbering-service', 'routing-engine', 'sms-orchestrator', 'smpp-gateway'] as const;
const DEFAULT_PORTS: Record<(typeof SERVICE_ORDER)[number], number> = {
  'config-service': 8083,
  'operator-management': 8082,
  'numbering-service': 8081,
  'routing-engine': 8084,
  'sms-orchestrator': 8080,
  'smpp-gateway': 8085,
};

/**
 * Runs every service in this process (apps/platform), each told where the others are unless the
 * environment already says, and, with `PLATFORM_SEED=demo`, the operators' SMSC simulators and the
 * demo topology (README, "Quick start"; apps/platform/README.md).
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const env = options.env;
  const runtime = loadConfigOrExit(runtimeEnv, env, { service: 'sms-platform' });
  const own = loadConfigOrExit(platformEnv, env, { service: 'sms-platform' });
  const seedOn = (own.PLATFORM_SEED ?? (runtime.DATABASE_URL === undefined && own.NODE_ENV !== 'production' ? 'demo' : 'off')) === 'demo';
  const topology = options.topology ?? DEMO_TOPOLOGY;
  const urls = serviceUrls(runtime, env);
  const signer = lazySigner(runtime);

  // SMPP_CONNECTIONS in the environment means someone configured the gateway by hand: leave it alone.
  const simulate = seedOn && env.SMPP_CONNECTIONS === undefined;
  const simulators = simulate ? await startSimulators(topology, own) : new Map<string, SmscSimulator>();
  const seeded: { result: DemoSeedResult | null } = { result: null };
  const runSeed = (): Promise<DemoSeedResult> =>
    seedDemo({
      topology,
      urls: { ops: url(urls, 'operator-management'), numbering: url(urls, 'numbering-service'), config: url(urls, 'config-service') },
      addresses: simulate ? addressesOf(simulators, own) : plannedAddresses(topology, own),
      mint: async (claims) => (await signer()).mint({ ...claims, ttlSec: 600, ...issuerAndAudience(runtime) }),
      keys: seedKeyFiles(runtime.DATA_DIR),
    });

  const definitions: ServiceDefinition[] = [
    configService,
    createOperatorManagementService({ config: loadOpsConfig(env) }),
    createNumberingService({ env: loadConfigOrExit(numberingEnv, numberingEnvironment(env, runtime, seedOn), { service: 'numbering-service' }) }),
    routingEngineService,
    createSmsOrchestratorService({ env: orchestratorEnvironment(env, urls) }),
    gatewayAfterSeed(async () => {
      if (!seedOn) return gatewayEnvironment(env, urls, null);
      const seed = await runSeed();
      seeded.result = seed;
      return gatewayEnvironment(env, urls, simulate ? seed : null);
    }),
  ];

  let running: RunningPlatform;
  try {
    running = await runServices(definitions, {
      env,
      ...(options.announce ? { announce: options.announce } : {}),
      ...(options.handleSignals === undefined ? {} : { handleSignals: options.handleSignals }),
    });
  } catch (error) {
    await Promise.allSettled([...simulators.values()].map((s) => s.stop()));
    throw error;
  }
  const seed = seeded.result;
  if (seed !== null) {
    const { changes } = seed;
    running.logger.info({ changes }, changes.length === 0 ? 'demo seed: everything was already in place' : 'demo seed applied');
  }
  return {
    running,
    urls: new Map(running.services.map((s) => [s.name, s.url])),
    simulators,
    seed,
    seedAgain: () => (seedOn ? runSeed() : Promise.reject(new Error('the demo seed is off (PLATFORM_SEED)'))),
    async stop(reason) {
      const code = await running.stop(reason);
      await Promise.allSettled([...simulators.values()].map((s) => s.stop()));
      return code;
    },
  };
}

/** The services' base URLs as runServices will give them: BASE_PORT + index, or each one's default port. */
function serviceUrls(runtime: RuntimeEnv, env: NodeJS.ProcessEnv): Map<string, string> {
  const host = env.HOST === undefined || runtime.HOST === '0.0.0.0' || runtime.HOST === '::' ? '127.0.0.1' : runtime.HOST;
  const shown = host.includes(':') ? `[${host}]` : host;
  return new Map(
    SERVICE_ORDER.map((name, index) => [name, `http://${shown}:${runtime.BASE_PORT === undefined ? DEFAULT_PORTS[name] : runtime.BASE_PORT + index}`]),
  );
}

function url(urls: ReadonlyMap<string, string>, name: string): string {
  const found = urls.get(name);
  if (found === undefined) throw new Error(`the platform has no service named ${name}`);
  return found;
}

const withDefaults = (env: NodeJS.ProcessEnv, defaults: Record<string, string>): NodeJS.ProcessEnv => {
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(defaults)) if (merged[name] === undefined || merged[name] === '') merged[name] = value;
  return merged;
};

/** The orchestrator calls numbering-service (gRPC), routing-engine and config-service in this process. */
function orchestratorEnvironment(env: NodeJS.ProcessEnv, urls: ReadonlyMap<string, string>): NodeJS.ProcessEnv {
  return withDefaults(env, {
    NUMBERING_GRPC_ADDRESS: `127.0.0.1:${env.NUMBERING_GRPC_PORT ?? '9081'}`,
    ROUTING_ENGINE_URL: url(urls, 'routing-engine'),
    CONFIG_SERVICE_URL: url(urls, 'config-service'),
  });
}

/** With the demo seed, numbering-service reads operator keys from DATA_DIR unless a key folder is configured. */
function numberingEnvironment(env: NodeJS.ProcessEnv, runtime: RuntimeEnv, seedOn: boolean): NodeJS.ProcessEnv {
  return seedOn ? withDefaults(env, { NUMBERING_OPERATOR_KEYS_DIR: seedKeyFiles(runtime.DATA_DIR).operatorKeysDir }) : env;
}

function seedKeyFiles(dataDir: string) {
  return { operatorKeysDir: join(dataDir, 'seed', 'operator-keys'), privateKeyFile: join(dataDir, 'seed', 'demo-operator-signing-key.pem') };
}

/**
 * The gateway fetches bind credentials from operator-management (without OPS_SERVICE_TOKEN it mints its
 * own service tokens with the dev key outside production) and reports bind health on the bus; with the
 * seed's simulators, its connections are the seeded operator-management connections.
 */
function gatewayEnvironment(env: NodeJS.ProcessEnv, urls: ReadonlyMap<string, string>, seeded: DemoSeedResult | null): NodeJS.ProcessEnv {
  const defaults: Record<string, string> = { OPS_BASE_URL: url(urls, 'operator-management') };
  if (seeded !== null) {
    defaults.SMPP_SIMULATE = 'false';
    defaults.SMPP_CONNECTIONS = JSON.stringify(
      seeded.operators.map((operator) => ({
        connectionId: operator.connectionId,
        operatorId: operator.operatorId,
        host: operator.address.host,
        port: operator.address.port,
        systemId: operator.systemId,
        password: operator.password,
        windowSize: operator.windowSize,
        throughputPerSecond: operator.throughputLimit,
      })),
    );
  }
  return withDefaults(env, defaults);
}

/** The gateway's definition, started once `environment` (the seed, then its variables) is ready. */
function gatewayAfterSeed(environment: () => Promise<NodeJS.ProcessEnv>): ServiceDefinition {
  const template = createSmppGatewayService();
  return {
    ...template,
    async start(context: ServiceContext): Promise<StartedService> {
      return createSmppGatewayService({ env: await environment() }).start(context);
    },
  };
}

async function startSimulators(topology: PlatformTopology, own: PlatformEnv): Promise<Map<string, SmscSimulator>> {
  const simulators = new Map<string, SmscSimulator>();
  try {
    for (const [index, operator] of topology.operators.entries()) {
      const simulator = new SmscSimulator({
        systemId: operator.systemId,
        password: operator.password,
        host: own.PLATFORM_SIMULATOR_HOST,
        port: own.PLATFORM_SIMULATOR_BASE_PORT === 0 ? 0 : own.PLATFORM_SIMULATOR_BASE_PORT + index,
        ...(operator.simulator ? { behaviour: operator.simulator } : {}),
      });
      await simulator.start();
      simulators.set(operator.code, simulator);
    }
  } catch (error) {
    await Promise.allSettled([...simulators.values()].map((s) => s.stop()));
    throw new Error(`cannot start the SMSC simulators on ${own.PLATFORM_SIMULATOR_HOST} from port ${own.PLATFORM_SIMULATOR_BASE_PORT} (PLATFORM_SIMULATOR_BASE_PORT)`, { cause: error });
  }
  return simulators;
}

function addressesOf(simulators: ReadonlyMap<string, SmscSimulator>, own: PlatformEnv): Map<string, SmscAddress> {
  return new Map([...simulators].map(([code, simulator]) => [code, { host: own.PLATFORM_SIMULATOR_HOST, port: simulator.port }]));
}

/** Where the simulators would listen: the gateway's connections were configured by hand (SMPP_CONNECTIONS), so none is started. */
function plannedAddresses(topology: PlatformTopology, own: PlatformEnv): Map<string, SmscAddress> {
  return new Map(
    topology.operators.map((operator, index) => [operator.code, { host: own.PLATFORM_SIMULATOR_HOST, port: (own.PLATFORM_SIMULATOR_BASE_PORT || 2775) + index }]),
  );
}

function issuerAndAudience(runtime: RuntimeEnv): { issuer: string; audience: string } {
  return { issuer: runtime.JWT_ISSUER ?? EMBEDDED_ISSUER, audience: runtime.JWT_AUDIENCE ?? EMBEDDED_AUDIENCE };
}

/** The embedded dev signer of DATA_DIR/auth (the key the runtime verifies with when no JWT_* key is configured). */
function lazySigner(runtime: RuntimeEnv): () => Promise<DevSigner> {
  let signer: Promise<DevSigner> | undefined;
  return () => {
    if (runtime.JWT_JWKS_URL !== undefined || runtime.JWT_PUBLIC_KEY !== undefined) {
      return Promise.reject(new Error('the demo seed and the gateway’s service token are minted with the embedded dev key; unset JWT_JWKS_URL/JWT_PUBLIC_KEY or set OPS_SERVICE_TOKEN and PLATFORM_SEED=off'));
    }
    signer ??= createDevSigner({ keyDir: devKeyDir(runtime.DATA_DIR) });
    return signer;
  };
}
