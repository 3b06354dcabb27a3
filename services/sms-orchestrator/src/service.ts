import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';

/** Message lifecycle: submit API, idempotency, validate, sender lease, route and dispatch pipeline with retry and dead-letter. */
export const smsOrchestratorService: ServiceDefinition = {
  name: 'sms-orchestrator',
  schema: 'orch',
  apiVersion: '0.1.0',
  description: 'Message lifecycle: submit API, idempotency, validate, sender lease, route and dispatch pipeline with retry and dead-letter.',
  defaultPort: 8080,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  streams: [{ name: 'SMS', subjects: ['sms.>'] }],
  registerApiRoutes(_app: HttpApp): void {
    // The skeleton answers only /health/live, /health/ready and /metrics (added by @sms/http).
  },
  start(context: ServiceContext): Promise<StartedService> {
    this.registerApiRoutes(context.app);
    return Promise.resolve({});
  },
};
