import type { Bus, Subscription, SubscriptionSpec } from '@sms/bus';
import type { ConfigClient } from './config-client.js';

/** The change events of config-service that make a cached resolution stale. */
export const INVALIDATION_SUBJECTS = ['config.node.>', 'config.value.>', 'config.lock.>', 'config.key.>'] as const;

export interface SubscribeInvalidationsOptions {
  /**
   * Durable consumer name. Subscriptions sharing a name share the events (each event reaches one of
   * them), so give every process its own (see the README: a replica that misses events still
   * refreshes on its TTL).
   */
  readonly durable: string;
  /** Prefix of the subjects ('' in production; tests use a unique one). */
  readonly subjectPrefix?: string;
  readonly delivery?: Omit<SubscriptionSpec, 'durable' | 'subjects'>;
  /** Told of each invalidation (for logs or metrics). */
  readonly onInvalidate?: (what: { readonly type: string; readonly paths: readonly string[] | 'all' }) => void;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Keeps a config client's cache in step with config-service: on `config.node.*`, `config.value.*`
 * and `config.lock.*` events it invalidates the node's path (and `fromPath` for a move), on
 * `config.key.*` events everything (a key's default or schema affects every node). Events it cannot
 * read are acknowledged and ignored: the client's TTL still bounds how stale it can get.
 */
export function subscribeInvalidations(bus: Bus, client: ConfigClient, options: SubscribeInvalidationsOptions): Promise<Subscription> {
  const prefix = options.subjectPrefix ?? '';
  const subjects = INVALIDATION_SUBJECTS.map((s) => (prefix === '' ? s : `${prefix}.${s}`));
  return bus.subscribe({ maxDeliver: 3, backoffMs: [500, 2000], ...options.delivery, durable: options.durable, subjects }, (message) => {
    let envelope: unknown;
    try {
      envelope = JSON.parse(new TextDecoder().decode(message.payload));
    } catch {
      return Promise.resolve();
    }
    if (!isRecord(envelope) || typeof envelope['type'] !== 'string') return Promise.resolve();
    const type = envelope['type'];
    if (type.startsWith('config.key.')) {
      client.invalidateAll();
      options.onInvalidate?.({ type, paths: 'all' });
      return Promise.resolve();
    }
    const data = isRecord(envelope['data']) ? envelope['data'] : {};
    const paths = [data['path'], data['fromPath']].filter((p): p is string => typeof p === 'string' && p.startsWith('/'));
    for (const path of paths) client.invalidate(path);
    if (paths.length > 0) options.onInvalidate?.({ type, paths });
    return Promise.resolve();
  });
}
