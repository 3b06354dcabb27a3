import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '@sms/config';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';
import { orchestratorEnv } from './orchestrator-env.js';
import { registerOrchestratorRoutes, startSmsOrchestrator } from './start-orchestrator.js';

export interface SmsOrchestratorServiceOptions {
  /** Where the service reads its variables instead of `process.env` (the platform passes the embedded wiring). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Message lifecycle: submit API, idempotency, validate, sender lease, route and dispatch pipeline with retry and dead-letter. */
export function createSmsOrchestratorService(options: SmsOrchestratorServiceOptions = {}): ServiceDefinition {
  return {
    name: 'sms-orchestrator',
    schema: 'orch',
    apiVersion: '1.0.0',
    description: 'Message lifecycle: submit API, idempotency, validate, sender lease, route and dispatch pipeline with retry and dead-letter.',
    defaultPort: 8080,
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    streams: [{ name: 'SMS', subjects: ['sms.>'] }],
    registerApiRoutes(app: HttpApp): void {
      registerOrchestratorRoutes(app);
    },
    async start(context: ServiceContext): Promise<StartedService> {
      const env = loadConfigOrExit(orchestratorEnv, options.env ?? process.env, { service: 'sms-orchestrator' });
      this.registerApiRoutes(context.app);
      const { readiness, closers } = await startSmsOrchestrator(context, env);
      return { ...(readiness ? { readiness } : {}), ...(closers ? { closers } : {}) };
    },
  };
}

/** The service as `main.ts` runs it: its variables from `process.env`. */
export const smsOrchestratorService: ServiceDefinition = createSmsOrchestratorService();
