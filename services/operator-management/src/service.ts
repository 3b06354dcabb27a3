import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';

/** Operator (MNO) records, SMPP connection credentials in the secret store, health ingest and routing rules. */
export const operatorManagementService: ServiceDefinition = {
  name: 'operator-management',
  schema: 'ops',
  apiVersion: '0.1.0',
  description: 'Operator (MNO) records, SMPP connection credentials in the secret store, health ingest and routing rules.',
  defaultPort: 8082,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  streams: [{ name: 'OPS', subjects: ['ops.>'] }],
  registerApiRoutes(_app: HttpApp): void {
    // The skeleton answers only /health/live, /health/ready and /metrics (added by @sms/http).
  },
  start(context: ServiceContext): Promise<StartedService> {
    this.registerApiRoutes(context.app);
    return Promise.resolve({});
  },
};
