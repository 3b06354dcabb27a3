import { err, ok } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import type { NodeAction, Subject } from '../domain/access.js';
import { validateSubject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { ConfigDomainEvent } from '../domain/config-events.js';
import { checkMeta } from '../domain/config-node.js';
import type { ChangeMeta, ConfigNode, NodeChange } from '../domain/config-node.js';
import type { KeyDefinition } from '../domain/key-definition.js';
import { AccessGuard } from './access-guard.js';
import { EventFactory } from './event-factory.js';
import { checkExpectedVersion, loadAncestors, loadNode, versionConflict } from './node-reference.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { ResolutionCache } from './ports/resolution-cache.port.js';
import type { TransactionScope, UnitOfWork } from './ports/unit-of-work.port.js';

/** The ports every node-changing use case needs. */
export interface NodeChangeDeps {
  readonly uow: UnitOfWork;
  readonly accessPolicy: AccessPolicy;
  readonly cache: ResolutionCache;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** What a node change answers: the node's version after the request, and whether anything changed. */
export interface NodeChangeResult {
  readonly nodeId: string;
  readonly path: string;
  readonly version: number;
  readonly changed: boolean;
}

/** Fields every change request carries. */
export interface ChangeRequest {
  readonly subject: Subject;
  /** Path, `tenant:<tenantId>` or `node:<id>`. */
  readonly node: string;
  readonly reason: string;
  /** When given, the change is refused with CONFIG.VERSION_CONFLICT unless the node is at this version. */
  readonly expectedVersion?: number;
}

export const metaFor = (subject: Subject, reason: string, now: Date): Result<ChangeMeta, ConfigError> =>
  checkMeta({ author: subject.id, reason, now });

export async function loadKey(tx: TransactionScope, key: string): Promise<Result<KeyDefinition, ConfigError>> {
  const definition = await tx.keys.find(key);
  return definition === null ? err(configError('CONFIG.KEY_NOT_FOUND', `key ${key} is not defined`, { key })) : ok(definition);
}

/** Stores a node change, its version and its events in the current transaction. */
export async function commitNodeChange(
  tx: TransactionScope,
  before: ConfigNode,
  change: Extract<NodeChange, { changed: true }>,
  events: readonly ConfigDomainEvent[],
  factory: EventFactory,
  now: Date,
): Promise<Result<void, ConfigError>> {
  if (!(await tx.nodes.update(change.node, before.version))) return err(versionConflict(before.path));
  await tx.versions.append(change.version);
  await tx.outbox.enqueue(factory.envelopes(events, now));
  return ok();
}

/**
 * Cache invalidation after commit. A failure here must not turn a committed change into an error
 * answer: the change's event invalidates the cache again on every replica, and entries expire.
 */
export async function invalidateQuietly(cache: ResolutionCache, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    try {
      await cache.invalidate(path);
    } catch {
      // see above: the event-driven invalidation and the TTL cover this
    }
  }
}

/**
 * The shape shared by set/clear value and set/remove lock: load the node and the key, check
 * access for (subject, action, node, key), check the expected version, apply the domain
 * operation against the ancestors, then commit the version and events and invalidate the cache.
 */
export async function runKeyChange(
  deps: NodeChangeDeps,
  request: ChangeRequest & { readonly key: string },
  action: NodeAction,
  apply: (node: ConfigNode, key: KeyDefinition, ancestors: readonly ConfigNode[], meta: ChangeMeta) => Result<NodeChange, ConfigError>,
  eventsFor: (before: ConfigNode, after: ConfigNode, key: KeyDefinition, meta: ChangeMeta) => ConfigDomainEvent[],
): Promise<Result<NodeChangeResult, ConfigError>> {
  const subject = validateSubject(request.subject);
  if (!subject.ok) return subject;
  const now = deps.clock.now();
  const meta = metaFor(request.subject, request.reason, now);
  if (!meta.ok) return meta;
  const guard = new AccessGuard(deps.accessPolicy);
  const factory = new EventFactory(deps.ids, deps.clock);
  const result = await deps.uow.run<NodeChangeResult, ConfigError>(
    async (tx) => {
      const node = await loadNode(tx.nodes, request.node);
      if (!node.ok) return node;
      const key = await loadKey(tx, request.key);
      if (!key.ok) {
        // Do not tell a caller that may not see the node whether a key exists.
        const visible = guard.checkNode(request.subject, action, node.value, request.node);
        return visible.ok ? key : visible;
      }
      const allowed = guard.checkNode(request.subject, action, node.value, request.node, key.value);
      if (!allowed.ok) return allowed;
      const expected = checkExpectedVersion(node.value, request.expectedVersion, request.node);
      if (!expected.ok) return expected;
      const ancestors = await loadAncestors(tx.nodes, node.value);
      const change = apply(node.value, key.value, ancestors, meta.value);
      if (!change.ok) return change;
      if (!change.value.changed) return ok(toResult(node.value, false));
      const committed = await commitNodeChange(
        tx,
        node.value,
        change.value,
        eventsFor(node.value, change.value.node, key.value, meta.value),
        factory,
        now,
      );
      return committed.ok ? ok(toResult(change.value.node, true)) : committed;
    },
    { tenantId: request.subject.tenantId },
  );
  if (result.ok && result.value.changed) await invalidateQuietly(deps.cache, [result.value.path]);
  return result;
}

export const toResult = (node: ConfigNode, changed: boolean): NodeChangeResult => ({
  nodeId: node.id,
  path: node.path,
  version: node.version,
  changed,
});

export const actorOf = (meta: ChangeMeta) => ({ actor: { subjectId: meta.author }, reason: meta.reason });
