import type { ConfigValue } from './config-value.js';
import { sameValue } from './config-value.js';

/** What a version of a node records as having changed. */
export const CHANGE_KINDS = [
  'node.created',
  'node.moved',
  'node.deleted',
  'value.set',
  'value.cleared',
  'lock.set',
  'lock.removed',
  'node.rolled-back',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The state of one key at one node: its override (null when none) and whether the node locks it. */
export interface KeyState {
  readonly value: ConfigValue | null;
  readonly locked: boolean;
}

/** Before/after of one key in one change. */
export interface KeyDiff {
  readonly key: string;
  readonly before: KeyState;
  readonly after: KeyState;
}

/** The versioned part of a node: where it hangs, its sparse overrides and its locks. */
export interface NodeState {
  readonly parentId: string | null;
  readonly path: string;
  readonly overrides: Readonly<Record<string, ConfigValue>>;
  readonly locks: readonly string[];
  readonly deleted: boolean;
}

/** One entry of a node's history; versions of a node are numbered 1, 2, 3, … without gaps. */
export interface NodeVersion {
  readonly nodeId: string;
  readonly version: number;
  readonly change: ChangeKind;
  /** Subject id of whoever made the change (`system:<consumer>` for changes driven by consumed events). */
  readonly author: string;
  readonly reason: string;
  readonly at: string;
  readonly diff: readonly KeyDiff[];
  /** The node's state after this change; rollback restores the overrides and locks of a chosen version. */
  readonly state: NodeState;
  /** For a rollback: the version whose overrides and locks were restored. */
  readonly rolledBackTo: number | null;
}

/** Per-key differences between two override/lock sets, sorted by key. */
export function diffStates(
  before: Pick<NodeState, 'overrides' | 'locks'>,
  after: Pick<NodeState, 'overrides' | 'locks'>,
): KeyDiff[] {
  const keys = new Set([
    ...Object.keys(before.overrides),
    ...Object.keys(after.overrides),
    ...before.locks,
    ...after.locks,
  ]);
  const stateOf = (s: Pick<NodeState, 'overrides' | 'locks'>, key: string): KeyState => ({
    value: s.overrides[key] ?? null,
    locked: s.locks.includes(key),
  });
  return [...keys]
    .sort()
    .map((key) => ({ key, before: stateOf(before, key), after: stateOf(after, key) }))
    .filter((d) => d.before.locked !== d.after.locked || !sameValue(d.before.value ?? undefined, d.after.value ?? undefined));
}
