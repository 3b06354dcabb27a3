import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';

/** Picks the operator and connection for a destination from the routing rules and operator health. */
export const routingEngineService: ServiceDefinition = {
  name: 'routing-engine',
  schema: 'routing',
  apiVersion: '0.1.0',
  description: 'Picks the operator and connection for a destination from the routing rules and operator health.',
  defaultPort: 8084,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  streams: [],
  registerApiRoutes(_app: HttpApp): void {
    // The skeleton answers only /health/live, /health/ready and /metrics (added by @sms/http).
  },
  start(context: ServiceContext): Promise<StartedService> {
    this.registerApiRoutes(context.app);
    return Promise.resolve({});
  },
};
