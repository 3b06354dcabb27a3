import type { Clock } from '@sms/kernel';

/** A configuration value as config-service resolves it. */
export type ConfigValue = number | boolean | string | readonly string[];

/**
 * The part of config-service's resolution answer the client relies on. A redacted (sensitive)
 * value arrives as null; a key without any value is absent.
 */
export interface ResolvedConfig {
  /** Path of the resolved node, e.g. `/GLOBAL/region:kabul/tenant:acme`. */
  readonly path: string;
  readonly tenantId: string | null;
  readonly values: Readonly<Record<string, { readonly value: ConfigValue | null }>>;
}

/** A node path (`/GLOBAL/...`) or a tenant, resolved at the tenant's node. */
export type ConfigTarget = string | { readonly tenantId: string };

/**
 * Fetches a resolution from config-service. `nodeRef` is a node path, or `tenant:<tenantId>` for a
 * tenant target. The HTTP transport is an adapter; tests pass a function.
 */
export type FetchResolved = (nodeRef: string) => Promise<ResolvedConfig>;

/** How the value of a lookup was obtained. */
export type LookupOrigin =
  /** fetched just now */
  | 'fresh'
  /** from the local cache, within its TTL */
  | 'cached'
  /** from the local cache past its TTL (or invalidated), because config-service could not be reached */
  | 'stale'
  /** config-service unreachable and nothing cached */
  | 'unavailable';

export interface ConfigLookup {
  /** null when the key has no value (or is redacted), or when nothing could be obtained. */
  readonly value: ConfigValue | null;
  readonly origin: LookupOrigin;
}

/** What the client reports to its owner (logs, metrics). */
export type ConfigClientEvent =
  | { readonly kind: 'fetch-failed'; readonly nodeRef: string; readonly error: unknown }
  | { readonly kind: 'stale-served'; readonly nodeRef: string; readonly ageMs: number }
  | { readonly kind: 'fallback-used'; readonly nodeRef: string; readonly key: string; readonly why: 'missing' | 'unavailable' | 'type-mismatch' };

export interface ConfigClientStatus {
  /** True while the last fetch failed (the client serves stale values or fallbacks). */
  readonly degraded: boolean;
  readonly lastSuccessAt: Date | null;
  readonly lastFailureAt: Date | null;
  readonly lastError: string | null;
}

export interface ConfigClientOptions {
  readonly fetchResolved: FetchResolved;
  /** How long a fetched resolution is used without asking again. */
  readonly ttlMs: number;
  readonly clock: Clock;
  readonly onEvent?: (event: ConfigClientEvent) => void;
}

export interface ConfigClient {
  /**
   * The value of `key` at the target, or `fallback` when it has none, when config-service cannot
   * be reached and nothing is cached, or when the value's type differs from the fallback's.
   */
  get(target: ConfigTarget, key: string, fallback: number): Promise<number>;
  get(target: ConfigTarget, key: string, fallback: boolean): Promise<boolean>;
  get(target: ConfigTarget, key: string, fallback: string): Promise<string>;
  get(target: ConfigTarget, key: string, fallback: readonly string[]): Promise<readonly string[]>;
  /** The value with how it was obtained. */
  lookup(target: ConfigTarget, key: string): Promise<ConfigLookup>;
  /**
   * Marks cached resolutions of `nodePath` and every node below it as expired (call it on
   * config-service change events). Expired entries are re-fetched on the next read, and still
   * served if config-service is down.
   */
  invalidate(nodePath: string): void;
  invalidateAll(): void;
  status(): ConfigClientStatus;
}

interface Entry {
  readonly resolved: ResolvedConfig;
  readonly fetchedAt: number;
  expired: boolean;
}

const isUnder = (path: string, ancestor: string): boolean => path === ancestor || path.startsWith(`${ancestor}/`);

const ancestorsOf = (path: string): string[] => {
  const parts = path.split('/').slice(1);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
};

const kindOf = (v: ConfigValue): string => (Array.isArray(v) ? 'list' : typeof v);

export function createConfigClient(options: ConfigClientOptions): ConfigClient {
  if (!Number.isFinite(options.ttlMs) || options.ttlMs < 0) throw new RangeError('ttlMs must be a finite number ≥ 0');
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<ResolvedConfig>>();
  // Invalidation counters: a fetch that started before an invalidation of its node is stored already expired.
  let counter = 0;
  const invalidatedAt = new Map<string, number>();
  let everythingInvalidatedAt = -1;
  let lastSuccessAt: Date | null = null;
  let lastFailureAt: Date | null = null;
  let lastError: string | null = null;
  const report = (event: ConfigClientEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // a faulty listener must not break configuration reads
    }
  };

  const refOf = (target: ConfigTarget): string => (typeof target === 'string' ? target : `tenant:${target.tenantId}`);

  const fetchOnce = (nodeRef: string): Promise<ResolvedConfig> => {
    const pending = inFlight.get(nodeRef);
    if (pending !== undefined) return pending;
    const startedAt = counter;
    const request = options
      .fetchResolved(nodeRef)
      .then((resolved) => {
        const touched =
          everythingInvalidatedAt >= startedAt || ancestorsOf(resolved.path).some((p) => (invalidatedAt.get(p) ?? -1) >= startedAt);
        entries.set(nodeRef, { resolved, fetchedAt: options.clock.now().getTime(), expired: touched });
        lastSuccessAt = options.clock.now();
        lastError = null;
        return resolved;
      })
      .finally(() => inFlight.delete(nodeRef));
    inFlight.set(nodeRef, request);
    return request;
  };

  const resolve = async (nodeRef: string): Promise<{ resolved: ResolvedConfig; origin: LookupOrigin } | null> => {
    const entry = entries.get(nodeRef);
    const now = options.clock.now().getTime();
    if (entry !== undefined && !entry.expired && now - entry.fetchedAt < options.ttlMs) return { resolved: entry.resolved, origin: 'cached' };
    try {
      return { resolved: await fetchOnce(nodeRef), origin: 'fresh' };
    } catch (error) {
      lastFailureAt = options.clock.now();
      lastError = error instanceof Error ? error.message : String(error);
      report({ kind: 'fetch-failed', nodeRef, error });
      const last = entries.get(nodeRef);
      if (last === undefined) return null;
      report({ kind: 'stale-served', nodeRef, ageMs: now - last.fetchedAt });
      return { resolved: last.resolved, origin: 'stale' };
    }
  };

  const lookup = async (target: ConfigTarget, key: string): Promise<ConfigLookup> => {
    const found = await resolve(refOf(target));
    if (found === null) return { value: null, origin: 'unavailable' };
    return { value: found.resolved.values[key]?.value ?? null, origin: found.origin };
  };

  function get(target: ConfigTarget, key: string, fallback: number): Promise<number>;
  function get(target: ConfigTarget, key: string, fallback: boolean): Promise<boolean>;
  function get(target: ConfigTarget, key: string, fallback: string): Promise<string>;
  function get(target: ConfigTarget, key: string, fallback: readonly string[]): Promise<readonly string[]>;
  async function get(target: ConfigTarget, key: string, fallback: ConfigValue): Promise<ConfigValue> {
    const nodeRef = refOf(target);
    const found = await lookup(target, key);
    if (found.value === null) {
      report({ kind: 'fallback-used', nodeRef, key, why: found.origin === 'unavailable' ? 'unavailable' : 'missing' });
      return fallback;
    }
    if (kindOf(found.value) !== kindOf(fallback)) {
      report({ kind: 'fallback-used', nodeRef, key, why: 'type-mismatch' });
      return fallback;
    }
    return found.value;
  }

  return {
    lookup,
    get,
    invalidate(nodePath: string): void {
      invalidatedAt.set(nodePath, counter);
      counter += 1;
      for (const entry of entries.values()) {
        if (isUnder(entry.resolved.path, nodePath)) entry.expired = true;
      }
    },
    invalidateAll(): void {
      everythingInvalidatedAt = counter;
      counter += 1;
      for (const entry of entries.values()) entry.expired = true;
    },
    status(): ConfigClientStatus {
      return { degraded: lastError !== null, lastSuccessAt, lastFailureAt, lastError };
    },
  };
}
