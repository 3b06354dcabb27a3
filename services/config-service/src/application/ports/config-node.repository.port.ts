import type { ConfigNode } from '../../domain/config-node.js';

/**
 * Live configuration nodes, inside the current transaction (see {@link UnitOfWork}). Deleted nodes
 * are invisible to every method. All methods throw only on infrastructure faults.
 */
export interface ConfigNodeRepository {
  findById(id: string): Promise<ConfigNode | null>;
  findByPath(path: string): Promise<ConfigNode | null>;
  /** The live nodes among `paths`, in no particular order (used to load a node's ancestors by path prefix). */
  findByPaths(paths: readonly string[]): Promise<ConfigNode[]>;
  /** The node that roots a tenant's subtree. */
  findTenantRoot(tenantId: string): Promise<ConfigNode | null>;
  /** The node at `path` and every descendant, shallowest first. */
  findSubtree(path: string): Promise<ConfigNode[]>;
  /** Every node holding an override of `key`. */
  findWithOverride(key: string): Promise<ConfigNode[]>;
  /** Stores a new node; `path-taken` when a live node already has its path. */
  insert(node: ConfigNode): Promise<'inserted' | 'path-taken'>;
  /**
   * Replaces a node's overrides, locks and version when its stored version is `expectedVersion`
   * (compare-and-swap); false when it is not. Path, parent and tenant are not changed by this method.
   */
  update(node: ConfigNode, expectedVersion: number): Promise<boolean>;
  /**
   * Re-parents `node` (already carrying its new parent, path and version) and rewrites the paths of
   * all its descendants from `fromPath` to the new prefix, when the stored version is `expectedVersion`.
   */
  move(node: ConfigNode, fromPath: string, expectedVersion: number): Promise<'moved' | 'stale' | 'path-taken'>;
  /** Deletes a live node (its history stays) when its stored version is `expectedVersion`; false when it is not. */
  remove(nodeId: string, expectedVersion: number): Promise<boolean>;
}
