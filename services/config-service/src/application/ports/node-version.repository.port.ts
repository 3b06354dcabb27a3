import type { NodeVersion } from '../../domain/node-version.js';

/** The append-only history of every node, deleted ones included. Throws only on infrastructure faults. */
export interface NodeVersionRepository {
  /** Appends one version; throws when (nodeId, version) already exists, which the node's compare-and-swap prevents. */
  append(version: NodeVersion): Promise<void>;
  find(nodeId: string, version: number): Promise<NodeVersion | null>;
  /** Versions of a node, newest first, at most `limit`, starting below `beforeVersion` when given. */
  list(nodeId: string, options: { readonly limit: number; readonly beforeVersion?: number }): Promise<NodeVersion[]>;
}
