import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@sms/http';
import type { ServiceContext, ServiceDefinition, StartedService } from '@sms/runtime';

/** Hierarchical configuration from GLOBAL down to tenants: resolution, locks, versions, ABAC. */
export const configService: ServiceDefinition = {
  name: 'config-service',
  schema: 'config',
  apiVersion: '0.1.0',
  description: 'Hierarchical configuration from GLOBAL down to tenants: resolution, locks, versions, ABAC.',
  defaultPort: 8083,
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  streams: [
    { name: 'CONFIG', subjects: ['config.>'] },
    // Tenant lifecycle and compliance events come from outside the platform; this stream receives them.
    { name: 'TENANT', subjects: ['tenant.>', 'compliance.>'] },
  ],
  registerApiRoutes(_app: HttpApp): void {
    // The skeleton answers only /health/live, /health/ready and /metrics (added by @sms/http).
  },
  start(context: ServiceContext): Promise<StartedService> {
    this.registerApiRoutes(context.app);
    return Promise.resolve({});
  },
};
