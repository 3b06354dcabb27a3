import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { configError, nodeNotFound } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { ConfigNode } from '../domain/config-node.js';
import { isTenantId } from '../domain/config-node.js';
import { ancestorPaths, parseNodePath } from '../domain/node-path.js';
import type { ConfigNodeRepository } from './ports/config-node.repository.port.js';

/**
 * How callers name a node: its canonical path (`/GLOBAL/region:kabul/tenant:acme`), its tenant
 * (`tenant:<tenantId>`, the tenant's root node), or its id (`node:<id>`).
 */
export type NodeReference =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'tenant'; readonly tenantId: string }
  | { readonly kind: 'id'; readonly id: string };

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function parseNodeReference(input: string): Result<NodeReference, ConfigError> {
  if (input.startsWith('/')) {
    const parsed = parseNodePath(input);
    return parsed.ok ? ok({ kind: 'path', path: parsed.value.path }) : parsed;
  }
  if (input.startsWith('tenant:') && isTenantId(input.slice('tenant:'.length))) {
    return ok({ kind: 'tenant', tenantId: input.slice('tenant:'.length) });
  }
  if (input.startsWith('node:') && ID.test(input.slice('node:'.length))) return ok({ kind: 'id', id: input.slice('node:'.length) });
  return err(
    configError('CONFIG.INVALID_PATH', 'a node is named by a path (/GLOBAL/...), tenant:<tenantId> or node:<id>', {
      reason: 'unknown reference form',
    }),
  );
}

/** Loads the live node a reference names; not found answers with the reference only. */
export async function loadNode(nodes: ConfigNodeRepository, input: string): Promise<Result<ConfigNode, ConfigError>> {
  const reference = parseNodeReference(input);
  if (!reference.ok) return reference;
  const ref = reference.value;
  const node =
    ref.kind === 'path'
      ? await nodes.findByPath(ref.path)
      : ref.kind === 'tenant'
        ? await nodes.findTenantRoot(ref.tenantId)
        : await nodes.findById(ref.id);
  return node === null ? err(nodeNotFound(input)) : ok(node);
}

/** The node's ancestors, root first, the node itself excluded. A missing ancestor means corrupt data and throws. */
export async function loadAncestors(nodes: ConfigNodeRepository, node: ConfigNode): Promise<ConfigNode[]> {
  const paths = ancestorPaths(node.path).slice(0, -1);
  if (paths.length === 0) return [];
  const found = new Map((await nodes.findByPaths(paths)).map((n) => [n.path, n]));
  return paths.map((path) => {
    const ancestor = found.get(path);
    if (ancestor === undefined) throw new Error(`configuration tree is corrupt: ${node.path} has no ancestor at ${path}`);
    return ancestor;
  });
}

export const versionConflict = (what: string): ConfigError =>
  configError('CONFIG.VERSION_CONFLICT', `${what} changed since it was read; read it again and retry`);

/** Checks an optional If-Match style expectation against the node's current version. */
export function checkExpectedVersion(node: ConfigNode, expected: number | undefined, reference: string): Result<void, ConfigError> {
  if (expected === undefined || expected === node.version) return ok();
  return err(
    configError('CONFIG.VERSION_CONFLICT', `${reference} is at version ${node.version}, not ${expected}`, {
      currentVersion: node.version,
    }),
  );
}
