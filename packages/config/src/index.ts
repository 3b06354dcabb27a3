export { ConfigError } from './config-error.js';
export type { ConfigIssue } from './config-error.js';
export { loadConfig, loadConfigOrExit, EX_CONFIG } from './load-config.js';
export type { Env } from './load-config.js';
export {
  booleanFlag,
  describeEnv,
  envFieldRegistry,
  httpUrl,
  integer,
  natsServers,
  nonEmptyString,
  oneOf,
  port,
  postgresUrl,
  redisUrl,
  requiredWith,
  secretString,
  url,
} from './env-schemas.js';
export type { EnvFieldMeta } from './env-schemas.js';
export {
  commonEnv,
  databaseEnv,
  infrastructureEnv,
  logLevels,
  natsEnv,
  redisEnv,
  s3Env,
  vaultEnv,
} from './env-fragments.js';
export type { LogLevelName } from './env-fragments.js';
