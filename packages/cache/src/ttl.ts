import type { CacheSetOptions } from './cache.port.js';

/** Validates a TTL (programmer errors throw) and returns it in whole milliseconds. */
export function checkedTtl(options: CacheSetOptions | undefined): number | undefined {
  const ttlMs = options?.ttlMs;
  if (ttlMs === undefined) return undefined;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}
