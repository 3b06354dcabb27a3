import type { AccessAction, RoleDefinition, Subject } from '../../domain/access.js';

/** The attributes of a node a decision may use. */
export interface NodeAttributes {
  readonly id: string;
  readonly path: string;
  readonly level: string;
  readonly tenantId: string | null;
  readonly isTenantRoot: boolean;
}

/** The attributes of a key a decision may use. */
export interface KeyAttributes {
  readonly key: string;
  readonly ownerService: string | null;
  readonly sensitive: boolean;
}

/** What an action is asked about. A node request may name one key (per-key decisions such as a service's resolution). */
export type AccessResource =
  | { readonly kind: 'node'; readonly node: NodeAttributes; readonly key?: KeyAttributes }
  | { readonly kind: 'key'; readonly key: KeyAttributes }
  | {
      readonly kind: 'role-assignment';
      readonly role: string;
      readonly tenantId: string | null;
      readonly tenantAssignable: boolean;
    }
  | { readonly kind: 'policy'; readonly role: string | null };

/** The answer, with a reason fit for logs and for a 403 body (names a policy, never data). */
export type AccessDecision = { readonly allowed: true; readonly reason: string } | { readonly allowed: false; readonly reason: string };

/**
 * Attribute-based access decisions from the role definitions (data) and the engine's guardrails.
 * Deny by default. Implemented with a policy engine in `adapters/authorization/`.
 */
export interface AccessPolicy {
  /** Decides synchronously from the loaded roles; an action that does not apply to the resource kind is denied. */
  decide(subject: Subject, action: AccessAction, resource: AccessResource): AccessDecision;
  /**
   * Replaces the roles decisions are made from (at start-up, after a policy change, and when another
   * replica reports one). Throws when the engine cannot compile them, which is a bug: roles are validated first.
   */
  loadRoles(roles: readonly RoleDefinition[]): void;
}
