export type { EventContract } from './event-contract.js';
export { configServiceEvents } from './events/config-service.events.js';
export { numberingServiceEvents } from './events/numbering-service.events.js';
export { operatorManagementEvents } from './events/operator-management.events.js';
export { smsOrchestratorEvents } from './events/sms-orchestrator.events.js';
export { smppGatewayEvents } from './events/smpp-gateway.events.js';
export { allEventContracts, eventContractFor, createEventValidator } from './registry.js';
export type { EventValidator } from './registry.js';
export * from './grpc/numbering.js';
