export { runtimeEnv } from './runtime-env.js';
export type { RuntimeEnv } from './runtime-env.js';
export { createInfrastructure } from './infrastructure.js';
export type { Infrastructure, InfrastructureOptions, AdapterChoice } from './infrastructure.js';
export type { ServiceDefinition, ServiceContext, StartedService } from './service-definition.js';
export { buildServiceInstance } from './service-instance.js';
export type { ServiceInstance } from './service-instance.js';
export { runServices } from './run.js';
export type { RunOptions, RunningPlatform } from './run.js';
