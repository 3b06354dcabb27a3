export { createConfigClient } from './config-client.js';
export type {
  ConfigClient,
  ConfigClientEvent,
  ConfigClientOptions,
  ConfigClientStatus,
  ConfigLookup,
  ConfigTarget,
  ConfigValue,
  FetchResolved,
  LookupOrigin,
  ResolvedConfig,
} from './config-client.js';
export { ConfigTransportError, createHttpConfigTransport } from './http-transport.js';
export type { HttpConfigTransportOptions } from './http-transport.js';
export { INVALIDATION_SUBJECTS, subscribeInvalidations } from './invalidations.js';
export type { SubscribeInvalidationsOptions } from './invalidations.js';
