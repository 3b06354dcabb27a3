import { ok } from '@sms/kernel';
import type { EventEnvelope, Result } from '@sms/kernel';
import { CONFIG_EVENT_TYPES } from '../domain/config-events.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { ResolutionCache } from './ports/resolution-cache.port.js';

const NODE_EVENTS: readonly string[] = [
  CONFIG_EVENT_TYPES.nodeCreated,
  CONFIG_EVENT_TYPES.nodeDeleted,
  CONFIG_EVENT_TYPES.valueSet,
  CONFIG_EVENT_TYPES.valueCleared,
  CONFIG_EVENT_TYPES.lockSet,
  CONFIG_EVENT_TYPES.lockRemoved,
  CONFIG_EVENT_TYPES.nodeRolledBack,
];
const KEY_EVENTS: readonly string[] = [CONFIG_EVENT_TYPES.keyDefined, CONFIG_EVENT_TYPES.keyUpdated];

const stringField = (data: unknown, field: string): string | null => {
  if (typeof data !== 'object' || data === null) return null;
  const value = (data as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
};

/**
 * Consumes the service's own change events (from every replica) and drops the cached resolutions
 * they make stale: the changed node and everything below it; for a move, the old and the new
 * place; for a key change, everything. Other events leave the cache alone.
 */
export class InvalidateResolutionCacheUseCase {
  constructor(private readonly deps: { readonly cache: ResolutionCache }) {}

  async execute(event: EventEnvelope): Promise<Result<{ readonly invalidated: readonly string[] }, ConfigError>> {
    if (KEY_EVENTS.includes(event.type)) {
      await this.deps.cache.invalidateAll();
      return ok({ invalidated: ['*'] });
    }
    const paths: string[] = [];
    if (NODE_EVENTS.includes(event.type) || event.type === CONFIG_EVENT_TYPES.nodeMoved) {
      const path = stringField(event.data, 'path');
      if (path !== null) paths.push(path);
    }
    if (event.type === CONFIG_EVENT_TYPES.nodeMoved) {
      const from = stringField(event.data, 'fromPath');
      if (from !== null) paths.push(from);
    }
    for (const path of paths) await this.deps.cache.invalidate(path);
    return ok({ invalidated: paths });
  }
}
