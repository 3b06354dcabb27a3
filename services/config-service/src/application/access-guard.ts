import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { isNodeVisibleTo } from '../domain/access.js';
import type { AccessAction, NodeAction, Subject } from '../domain/access.js';
import { configError, nodeNotFound } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { KeyDefinition } from '../domain/key-definition.js';
import type { AccessPolicy, AccessResource, KeyAttributes, NodeAttributes } from './ports/access-policy.port.js';

export const nodeAttributes = (node: NodeAttributes): NodeAttributes => ({
  id: node.id,
  path: node.path,
  level: node.level,
  tenantId: node.tenantId,
  isTenantRoot: node.isTenantRoot,
});

export const keyAttributes = (key: KeyDefinition): KeyAttributes => ({
  key: key.key,
  ownerService: key.ownerService,
  sensitive: key.sensitive,
});

const READ_ACTIONS: readonly AccessAction[] = ['node.read', 'history.read', 'config.resolve', 'sensitive.read'];

/**
 * Turns access decisions into Results. On nodes it never lets an answer reveal more than the
 * caller may see: a node outside the caller's tenant, or one it may not even read, answers
 * CONFIG.NODE_NOT_FOUND exactly like a node that does not exist; CONFIG.ACCESS_DENIED is only
 * for nodes the caller can see but may not change.
 */
export class AccessGuard {
  constructor(private readonly policy: AccessPolicy) {}

  allows(subject: Subject, action: AccessAction, resource: AccessResource): boolean {
    return this.policy.decide(subject, action, resource).allowed;
  }

  /** Checks an action on a node the caller named as `reference` (echoed in a not-found answer, nothing else). */
  checkNode(
    subject: Subject,
    action: NodeAction,
    node: NodeAttributes,
    reference: string,
    key?: KeyDefinition,
  ): Result<void, ConfigError> {
    if (!isNodeVisibleTo(subject, node)) return err(nodeNotFound(reference));
    const resource: AccessResource =
      key === undefined ? { kind: 'node', node: nodeAttributes(node) } : { kind: 'node', node: nodeAttributes(node), key: keyAttributes(key) };
    const decision = this.policy.decide(subject, action, resource);
    if (decision.allowed) return ok();
    if (READ_ACTIONS.includes(action) || !this.canSee(subject, node)) return err(nodeNotFound(reference));
    return err(denied(action, reference, decision.reason));
  }

  /** Checks an action on something other than a node (the key catalogue, role assignments, policies). */
  check(subject: Subject, action: AccessAction, resource: AccessResource, what: string): Result<void, ConfigError> {
    const decision = this.policy.decide(subject, action, resource);
    return decision.allowed ? ok() : err(denied(action, what, decision.reason));
  }

  private canSee(subject: Subject, node: NodeAttributes): boolean {
    const resource: AccessResource = { kind: 'node', node: nodeAttributes(node) };
    return this.policy.decide(subject, 'node.read', resource).allowed || this.policy.decide(subject, 'config.resolve', resource).allowed;
  }
}

const denied = (action: AccessAction, what: string, reason: string): ConfigError =>
  configError('CONFIG.ACCESS_DENIED', `${action} on ${what} is not allowed: ${reason}`, { action, reason });
