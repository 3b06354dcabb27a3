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
