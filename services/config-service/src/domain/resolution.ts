import type { ConfigNode, LockHolder } from './config-node.js';
import type { ConfigValue } from './config-value.js';
import type { KeyDefinition } from './key-definition.js';

/** Where a resolved value came from: an override at a node on the way to GLOBAL, or the key's default. */
export type ValueSource =
  | { readonly kind: 'node'; readonly nodeId: string; readonly path: string }
  | { readonly kind: 'default' };

export interface ResolvedValue {
  readonly value: ConfigValue;
  readonly source: ValueSource;
  /** The node that locks this key for the resolved node, if any. */
  readonly lockedAt: LockHolder | null;
  readonly sensitive: boolean;
  readonly deprecated: boolean;
  readonly ownerService: string | null;
}

/** Every key that has a value at a node, with its origin. Keys without a default and without an override are absent. */
export interface ResolvedConfig {
  readonly nodeId: string;
  readonly path: string;
  readonly level: string;
  readonly tenantId: string | null;
  readonly isTenantRoot: boolean;
  /** Version of each node of the chain (root first) this resolution was computed from. */
  readonly chain: readonly { readonly nodeId: string; readonly path: string; readonly version: number }[];
  readonly values: Readonly<Record<string, ResolvedValue>>;
}

/**
 * Resolves every defined key for the last node of `chain` (root first, the node itself last).
 * The deepest override wins, except that a lock freezes a key at the locking node: overrides
 * below the topmost lock are ignored (the locking node's own override still counts).
 */
export function resolveConfig(chain: readonly ConfigNode[], definitions: readonly KeyDefinition[]): ResolvedConfig {
  const target = chain.at(-1);
  if (target === undefined) throw new Error('resolution needs at least the GLOBAL node');
  const values: Record<string, ResolvedValue> = {};
  for (const definition of [...definitions].sort((a, b) => a.key.localeCompare(b.key))) {
    const key = definition.key;
    let value: ConfigValue | undefined = definition.schema.default;
    let source: ValueSource = { kind: 'default' };
    let lockedAt: LockHolder | null = null;
    for (const node of chain) {
      const override = node.overrides[key];
      if (override !== undefined) {
        value = override;
        source = { kind: 'node', nodeId: node.id, path: node.path };
      }
      if (node.locks.includes(key)) {
        lockedAt = { nodeId: node.id, path: node.path };
        break;
      }
    }
    if (value !== undefined) {
      values[key] = {
        value,
        source,
        lockedAt,
        sensitive: definition.sensitive,
        deprecated: definition.deprecated,
        ownerService: definition.ownerService,
      };
    }
  }
  return {
    nodeId: target.id,
    path: target.path,
    level: target.level,
    tenantId: target.tenantId,
    isTenantRoot: target.isTenantRoot,
    chain: chain.map((n) => ({ nodeId: n.id, path: n.path, version: n.version })),
    values,
  };
}
