import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';

/** MSISDN and short-code inventory, reservations, leases, quarantine, hash-chained audit and the regulator export. */
export const numberingService: ServiceDefinition = {
  name: 'numbering-service',
  schema: 'numbering',
  apiVersion: '0.1.0',
  description: 'MSISDN and short-code inventory, reservations, leases, quarantine, hash-chained audit and the regulator export.',
  defaultPort: 8081,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  streams: [{ name: 'NUMBERING', subjects: ['numbering.>'] }],
  registerApiRoutes(_app: HttpApp): void {
    // The skeleton answers only /health/live, /health/ready and /metrics (added by @sms/http).
  },
  start(context: ServiceContext): Promise<StartedService> {
    this.registerApiRoutes(context.app);
    return Promise.resolve({});
  },
};
