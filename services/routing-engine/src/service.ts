import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import { startRoutingEngine } from './adapters/composition.js';
import { registerRouteApi } from './adapters/http/route-api.routes.js';
import type { RouteApiRuntime } from './adapters/http/route-api.routes.js';

const elapsedSeconds = (startedAt: bigint): number => Number(process.hrtime.bigint() - startedAt) / 1e9;

/**
 * A routing-engine service definition with its own holder for what the routes need, so several
 * instances (tests) do not share one. `routingEngineService` is the one the platform runs.
 */
export function createRoutingEngineService(): ServiceDefinition {
  let runtime: RouteApiRuntime | null = null;
  return {
    name: 'routing-engine',
    schema: 'routing',
    apiVersion: '0.2.0',
    description: 'Picks the operator and connection for a destination from the routing rules and operator health.',
    defaultPort: 8084,
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    // Consumes ops.* from operator-management's stream (OPS); publishes nothing.
    streams: [],
    registerApiRoutes(app: HttpApp): void {
      registerRouteApi(app, () => {
        if (runtime === null) throw new Error('routing-engine has not started: no routing table to answer from');
        return runtime;
      });
    },
    async start(context: ServiceContext): Promise<StartedService> {
      this.registerApiRoutes(context.app);
      const engine = await startRoutingEngine({
        db: context.database.db,
        schema: this.schema,
        systemRole: context.roles.systemRole,
        bus: context.infra.bus,
        clock: context.clock,
        random: Math.random,
        logger: context.logger,
        registry: context.metrics,
      });
      runtime = { resolveRoute: engine.resolveRoute, verifier: context.verifier, metrics: engine.metrics, elapsedSeconds };
      return { readiness: engine.readiness, closers: engine.closers };
    },
  };
}

/** Picks the operator and connection for a destination from the routing rules and operator health. */
export const routingEngineService: ServiceDefinition = createRoutingEngineService();
