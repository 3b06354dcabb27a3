import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';

/** Binds to the SMSCs of the operators over SMPP 3.4, submits messages and receives delivery receipts. */
export const smppGatewayService: ServiceDefinition = {
  name: 'smpp-gateway',
  schema: 'smpp',
  apiVersion: '0.1.0',
  description: 'Binds to the SMSCs of the operators over SMPP 3.4, submits messages and receives delivery receipts.',
  defaultPort: 8085,
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
