import type { EventEnvelope, Result } from '@sms/kernel';
import type { RoleAssignment, RoleDefinition } from '../../domain/access.js';
import type { ConfigNode } from '../../domain/config-node.js';
import type { KeyDefinition } from '../../domain/key-definition.js';
import { isSameOrDescendant, rebasePath } from '../../domain/node-path.js';
import type { NodeVersion } from '../../domain/node-version.js';
import type { ConfigNodeRepository } from '../ports/config-node.repository.port.js';
import type { Inbox } from '../ports/inbox.port.js';
import type { KeyDefinitionRepository } from '../ports/key-definition.repository.port.js';
import type { NodeVersionRepository } from '../ports/node-version.repository.port.js';
import type { Outbox } from '../ports/outbox.port.js';
import type { RoleAssignmentRepository, RoleDefinitionRepository } from '../ports/role.repository.port.js';
import type { TransactionOptions, TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';

/** Everything the in-memory store holds; copied at the start of each transaction and swapped in on commit. */
interface State {
  nodes: Map<string, ConfigNode>;
  versions: Map<string, NodeVersion[]>;
  keys: Map<string, KeyDefinition>;
  roles: Map<string, RoleDefinition>;
  assignments: Map<string, RoleAssignment>;
  outbox: EventEnvelope[];
  inbox: Set<string>;
}

const copy = (s: State): State => ({
  nodes: new Map(s.nodes),
  versions: new Map([...s.versions].map(([k, v]) => [k, [...v]])),
  keys: new Map(s.keys),
  roles: new Map(s.roles),
  assignments: new Map(s.assignments),
  outbox: [...s.outbox],
  inbox: new Set(s.inbox),
});

class NodeStore implements ConfigNodeRepository {
  constructor(private readonly s: State) {}

  private live(): ConfigNode[] {
    return [...this.s.nodes.values()];
  }

  findById(id: string): Promise<ConfigNode | null> {
    return Promise.resolve(this.s.nodes.get(id) ?? null);
  }
  findByPath(path: string): Promise<ConfigNode | null> {
    return Promise.resolve(this.live().find((n) => n.path === path) ?? null);
  }
  findByPaths(paths: readonly string[]): Promise<ConfigNode[]> {
    return Promise.resolve(this.live().filter((n) => paths.includes(n.path)));
  }
  findTenantRoot(tenantId: string): Promise<ConfigNode | null> {
    return Promise.resolve(this.live().find((n) => n.isTenantRoot && n.tenantId === tenantId) ?? null);
  }
  findSubtree(path: string): Promise<ConfigNode[]> {
    const depth = (p: string) => p.split('/').length;
    return Promise.resolve(
      this.live()
        .filter((n) => isSameOrDescendant(n.path, path))
        .sort((a, b) => depth(a.path) - depth(b.path) || a.path.localeCompare(b.path)),
    );
  }
  findWithOverride(key: string): Promise<ConfigNode[]> {
    return Promise.resolve(this.live().filter((n) => key in n.overrides));
  }
  insert(node: ConfigNode): Promise<'inserted' | 'path-taken'> {
    if (this.live().some((n) => n.path === node.path)) return Promise.resolve('path-taken');
    if (this.s.nodes.has(node.id)) throw new Error(`node id ${node.id} is already used`);
    this.s.nodes.set(node.id, node);
    return Promise.resolve('inserted');
  }
  update(node: ConfigNode, expectedVersion: number): Promise<boolean> {
    const stored = this.s.nodes.get(node.id);
    if (stored?.version !== expectedVersion) return Promise.resolve(false);
    this.s.nodes.set(node.id, { ...node, parentId: stored.parentId, path: stored.path, tenantId: stored.tenantId });
    return Promise.resolve(true);
  }
  move(node: ConfigNode, fromPath: string, expectedVersion: number): Promise<'moved' | 'stale' | 'path-taken'> {
    const stored = this.s.nodes.get(node.id);
    if (stored?.version !== expectedVersion || stored.path !== fromPath) return Promise.resolve('stale');
    if (this.live().some((n) => n.path === node.path)) return Promise.resolve('path-taken');
    for (const n of this.live()) {
      if (n.id !== node.id && n.path.startsWith(`${fromPath}/`)) {
        this.s.nodes.set(n.id, { ...n, path: rebasePath(n.path, fromPath, node.path) });
      }
    }
    this.s.nodes.set(node.id, node);
    return Promise.resolve('moved');
  }
  remove(nodeId: string, expectedVersion: number): Promise<boolean> {
    if (this.s.nodes.get(nodeId)?.version !== expectedVersion) return Promise.resolve(false);
    this.s.nodes.delete(nodeId);
    return Promise.resolve(true);
  }
}

class VersionStore implements NodeVersionRepository {
  constructor(private readonly s: State) {}
  append(version: NodeVersion): Promise<void> {
    const list = this.s.versions.get(version.nodeId) ?? [];
    if (list.some((v) => v.version === version.version)) throw new Error(`version ${version.version} of ${version.nodeId} exists`);
    this.s.versions.set(version.nodeId, [...list, version]);
    return Promise.resolve();
  }
  find(nodeId: string, version: number): Promise<NodeVersion | null> {
    return Promise.resolve(this.s.versions.get(nodeId)?.find((v) => v.version === version) ?? null);
  }
  list(nodeId: string, options: { readonly limit: number; readonly beforeVersion?: number }): Promise<NodeVersion[]> {
    const before = options.beforeVersion ?? Number.POSITIVE_INFINITY;
    return Promise.resolve(
      (this.s.versions.get(nodeId) ?? [])
        .filter((v) => v.version < before)
        .sort((a, b) => b.version - a.version)
        .slice(0, options.limit),
    );
  }
}

class KeyStore implements KeyDefinitionRepository {
  constructor(private readonly s: State) {}
  find(key: string): Promise<KeyDefinition | null> {
    return Promise.resolve(this.s.keys.get(key) ?? null);
  }
  list(): Promise<KeyDefinition[]> {
    return Promise.resolve([...this.s.keys.values()].sort((a, b) => a.key.localeCompare(b.key)));
  }
  insert(definition: KeyDefinition): Promise<boolean> {
    if (this.s.keys.has(definition.key)) return Promise.resolve(false);
    this.s.keys.set(definition.key, definition);
    return Promise.resolve(true);
  }
  update(definition: KeyDefinition, expectedVersion: number): Promise<boolean> {
    if (this.s.keys.get(definition.key)?.version !== expectedVersion) return Promise.resolve(false);
    this.s.keys.set(definition.key, definition);
    return Promise.resolve(true);
  }
}

class RoleStore implements RoleDefinitionRepository {
  constructor(private readonly s: State) {}
  find(name: string): Promise<RoleDefinition | null> {
    return Promise.resolve(this.s.roles.get(name) ?? null);
  }
  list(): Promise<RoleDefinition[]> {
    return Promise.resolve([...this.s.roles.values()].sort((a, b) => a.name.localeCompare(b.name)));
  }
  put(role: RoleDefinition, expectedVersion: number | null): Promise<boolean> {
    if ((this.s.roles.get(role.name)?.version ?? null) !== expectedVersion) return Promise.resolve(false);
    this.s.roles.set(role.name, role);
    return Promise.resolve(true);
  }
  remove(name: string, expectedVersion: number): Promise<boolean> {
    if (this.s.roles.get(name)?.version !== expectedVersion) return Promise.resolve(false);
    this.s.roles.delete(name);
    return Promise.resolve(true);
  }
}

class AssignmentStore implements RoleAssignmentRepository {
  constructor(private readonly s: State) {}
  find(subjectId: string, role: string, tenantId: string | null): Promise<RoleAssignment | null> {
    const found = [...this.s.assignments.values()].find((a) => a.subjectId === subjectId && a.role === role && a.tenantId === tenantId);
    return Promise.resolve(found ?? null);
  }
  findById(id: string): Promise<RoleAssignment | null> {
    return Promise.resolve(this.s.assignments.get(id) ?? null);
  }
  list(filter: { readonly subjectId?: string; readonly tenantId?: string; readonly role?: string }): Promise<RoleAssignment[]> {
    return Promise.resolve(
      [...this.s.assignments.values()]
        .filter(
          (a) =>
            (filter.subjectId === undefined || a.subjectId === filter.subjectId) &&
            (filter.tenantId === undefined || a.tenantId === filter.tenantId) &&
            (filter.role === undefined || a.role === filter.role),
        )
        .sort((a, b) => a.subjectId.localeCompare(b.subjectId) || a.role.localeCompare(b.role)),
    );
  }
  async insert(assignment: RoleAssignment): Promise<boolean> {
    if ((await this.find(assignment.subjectId, assignment.role, assignment.tenantId)) !== null) return false;
    this.s.assignments.set(assignment.id, assignment);
    return true;
  }
  remove(id: string): Promise<boolean> {
    return Promise.resolve(this.s.assignments.delete(id));
  }
}

/**
 * An in-memory store behind the UnitOfWork port for unit tests. Transactions run one at a time on
 * a copy of the state that replaces the committed state only when the work returns ok, so an
 * error Result or a throw leaves nothing behind (outbox and inbox included), like a rolled-back
 * database transaction. Compare-and-swap methods really compare versions.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  private state: State = {
    nodes: new Map(),
    versions: new Map(),
    keys: new Map(),
    roles: new Map(),
    assignments: new Map(),
    outbox: [],
    inbox: new Set(),
  };
  private queue: Promise<unknown> = Promise.resolve();
  /** Options of every transaction run, in order (tests check the tenant passed for row-level security). */
  readonly transactions: TransactionOptions[] = [];

  run<T, E>(work: (tx: TransactionScope) => Promise<Result<T, E>>, options: TransactionOptions): Promise<Result<T, E>> {
    const next = this.queue.then(async () => {
      this.transactions.push(options);
      const draft = copy(this.state);
      const scope: TransactionScope = {
        nodes: new NodeStore(draft),
        versions: new VersionStore(draft),
        keys: new KeyStore(draft),
        roles: new RoleStore(draft),
        assignments: new AssignmentStore(draft),
        outbox: { enqueue: (events) => Promise.resolve(void draft.outbox.push(...events)) } satisfies Outbox,
        inbox: {
          markHandled: (consumer, eventId) => {
            const id = `${consumer}\u0000${eventId}`;
            if (draft.inbox.has(id)) return Promise.resolve(false);
            draft.inbox.add(id);
            return Promise.resolve(true);
          },
        } satisfies Inbox,
      };
      const result = await work(scope);
      if (result.ok && options.readOnly !== true) this.state = draft;
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Committed events, oldest first. */
  get outbox(): readonly EventEnvelope[] {
    return this.state.outbox;
  }

  /** Committed live nodes. */
  get nodes(): readonly ConfigNode[] {
    return [...this.state.nodes.values()];
  }

  versionsOf(nodeId: string): readonly NodeVersion[] {
    return this.state.versions.get(nodeId) ?? [];
  }

  /** Seeds committed state directly (test arrangement only). */
  seed(items: {
    readonly nodes?: readonly ConfigNode[];
    readonly versions?: readonly NodeVersion[];
    readonly keys?: readonly KeyDefinition[];
    readonly roles?: readonly RoleDefinition[];
  }): void {
    for (const n of items.nodes ?? []) this.state.nodes.set(n.id, n);
    for (const v of items.versions ?? []) this.state.versions.set(v.nodeId, [...(this.state.versions.get(v.nodeId) ?? []), v]);
    for (const k of items.keys ?? []) this.state.keys.set(k.key, k);
    for (const r of items.roles ?? []) this.state.roles.set(r.name, r);
  }
}
