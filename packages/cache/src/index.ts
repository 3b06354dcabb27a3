export { CacheUnavailableError } from './cache.port.js';
export type { Cache, CacheSetOptions } from './cache.port.js';
export type { CacheLogger } from './cache-logger.js';
export { createRedisCache } from './redis.cache.js';
export type { RedisCacheOptions } from './redis.cache.js';
export { createMemoryCache } from './memory.cache.js';
export type { MemoryCache, MemoryCacheOptions } from './memory.cache.js';
