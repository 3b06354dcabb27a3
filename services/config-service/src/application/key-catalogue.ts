import type { ResolutionCache } from './ports/resolution-cache.port.js';

/** A key change affects defaults or schemas everywhere, so every cached resolution goes. */
export async function invalidateAllQuietly(cache: ResolutionCache): Promise<void> {
  try {
    await cache.invalidateAll();
  } catch {
    // the key event invalidates again on every replica, and entries expire
  }
}
