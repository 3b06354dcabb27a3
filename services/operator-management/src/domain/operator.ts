import { err, ok, type Result } from '@sms/kernel';
import { issue, nestIssues, type FieldIssue } from './field-issue.js';
import { mccMncIssues, type OperatorKind } from './mcc-mnc.js';
import { prefixListIssues, sortPrefixes } from './number-prefix.js';
import {
  changedSettings,
  connectionKey,
  connectionSettingsIssues,
  normalizeConnectionSettings,
  type ConnectionAuthentication,
  type ConnectionSettings,
  type SmppConnection,
} from './smpp-connection.js';
import {
  connectionNotFound,
  operatorDeleted,
  validationFailed,
  type OpsErrorOf,
} from './operator-management-errors.js';

export type OperatorStatus = 'active' | 'suspended' | 'deleted';
export const OPERATOR_KINDS: readonly OperatorKind[] = ['mno', 'aggregator'];

/**
 * An operator: one of the mobile network operators (Roshan, AWCC, Etisalat-AF, MTN-AF, Salaam)
 * or an aggregator link, with its SMPP connections and number prefixes. Immutable: every change
 * returns a new value with `version` one higher. Bind passwords are not part of it.
 */
export interface Operator {
  readonly id: string;
  /** Stable short name used by people and by the legacy import (`ROSHAN`, `MTN-AF`). */
  readonly code: string;
  readonly name: string;
  readonly kind: OperatorKind;
  readonly mcc: string | null;
  readonly mnc: string | null;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly status: OperatorStatus;
  /** E.164 digit prefixes of the operator's numbers, sorted. */
  readonly prefixes: readonly string[];
  readonly connections: readonly SmppConnection[];
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export const OPERATOR_LIMITS = { nameMaxLength: 100, maxConnections: 64 } as const;

const CODE = /^[A-Z][A-Z0-9-]{1,31}$/;

/**
 * Status transitions. `deleted` is terminal: a soft-deleted operator keeps its row and history
 * but never changes again. Suspension keeps the operator's data but takes it out of routing.
 */
export const STATUS_TRANSITIONS: Readonly<Record<OperatorStatus, readonly OperatorStatus[]>> = {
  active: ['suspended', 'deleted'],
  suspended: ['active', 'deleted'],
  deleted: [],
};

export const canTransition = (from: OperatorStatus, to: OperatorStatus): boolean => STATUS_TRANSITIONS[from].includes(to);

/** What a caller gives to create an operator. */
export interface OperatorDraft {
  readonly code: string;
  readonly name: string;
  readonly kind: OperatorKind;
  readonly mcc: string | null;
  readonly mnc: string | null;
  readonly country: string;
  /** Initial status; `active` when absent. */
  readonly status?: 'active' | 'suspended';
  readonly prefixes: readonly string[];
  readonly connections: readonly ConnectionSettings[];
}

/** Fields an update may change; absent fields stay as they are. */
export interface OperatorPatch {
  readonly code?: string;
  readonly name?: string;
  readonly kind?: OperatorKind;
  readonly mcc?: string | null;
  readonly mnc?: string | null;
  readonly country?: string;
  readonly prefixes?: readonly string[];
  readonly status?: 'active' | 'suspended';
}

type OperatorFields = Pick<Operator, 'code' | 'name' | 'kind' | 'mcc' | 'mnc' | 'country' | 'prefixes'>;

const blankToNull = (value: string | null): string | null => {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

export const normalizeOperatorCode = (code: string): string => code.trim().toUpperCase();

function normalizeFields(f: OperatorFields): OperatorFields {
  return {
    code: normalizeOperatorCode(f.code),
    name: f.name.trim(),
    kind: f.kind,
    mcc: blankToNull(f.mcc),
    mnc: blankToNull(f.mnc),
    country: f.country.trim().toUpperCase(),
    prefixes: sortPrefixes(f.prefixes),
  };
}

function fieldIssues(f: OperatorFields, prefixes: readonly string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!CODE.test(f.code)) {
    issues.push(issue('code', 'must be 2 to 32 characters: an upper-case letter, then upper-case letters, digits or "-"'));
  }
  if (f.name.length === 0 || f.name.length > OPERATOR_LIMITS.nameMaxLength) {
    issues.push(issue('name', `must be 1 to ${OPERATOR_LIMITS.nameMaxLength} characters`));
  }
  if (!OPERATOR_KINDS.includes(f.kind)) issues.push(issue('kind', `must be one of ${OPERATOR_KINDS.join(', ')}`));
  issues.push(...mccMncIssues(f.kind, f.mcc, f.mnc, f.country));
  // Indexes in messages refer to the caller's order, so check the list as given.
  issues.push(...prefixListIssues(prefixes, 'prefixes'));
  return issues;
}

/** Issues with a list of connections for one operator: each valid, at least one, no two alike. */
export function connectionListIssues(connections: readonly ConnectionSettings[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (connections.length === 0) issues.push(issue('connections', 'an operator needs at least one SMPP connection'));
  if (connections.length > OPERATOR_LIMITS.maxConnections) {
    issues.push(issue('connections', `at most ${OPERATOR_LIMITS.maxConnections} connections`));
  }
  const seen = new Map<string, number>();
  connections.forEach((c, index) => {
    issues.push(...nestIssues(`connections[${index}]`, connectionSettingsIssues(c)));
    const key = connectionKey(c);
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(issue(`connections[${index}]`, `has the same host, port and systemId as connections[${first}]`));
    } else {
      seen.set(key, index);
    }
  });
  return issues;
}

/**
 * Issues with a draft, as {@link createOperator} would report them; empty when it is valid.
 * `forUpdate`: the draft describes changes to an existing operator, so an empty connection list
 * means "no connection changes" rather than "an operator without connections".
 */
export function operatorDraftIssues(draft: OperatorDraft, options: { readonly forUpdate?: boolean } = {}): FieldIssue[] {
  const fields = normalizeFields(draft);
  const connections = draft.connections.map(normalizeConnectionSettings);
  const skipConnections = options.forUpdate === true && connections.length === 0;
  const issues = [...fieldIssues(fields, draft.prefixes), ...(skipConnections ? [] : connectionListIssues(connections))];
  const status = draft.status ?? 'active';
  if (status !== 'active' && status !== 'suspended') issues.push(issue('status', 'must be active or suspended'));
  return issues;
}

/** Normalised operator-level fields of a draft (trimmed, upper-cased code and country, sorted prefixes). */
export const normalizeDraftFields = (draft: OperatorDraft): Pick<Operator, 'code' | 'name' | 'kind' | 'mcc' | 'mnc' | 'country' | 'prefixes'> =>
  normalizeFields(draft);

/** Validates and normalises a draft into a new active (or suspended) operator at version 1. */
export function createOperator(
  draft: OperatorDraft,
  ids: { readonly operatorId: string; readonly connectionIds: readonly string[] },
  now: Date,
): Result<Operator, OpsErrorOf<'OPS.VALIDATION_FAILED'>> {
  if (ids.connectionIds.length !== draft.connections.length) {
    throw new Error('createOperator needs one connection id per connection');
  }
  const issues = operatorDraftIssues(draft);
  if (issues.length > 0) return err(validationFailed(issues));
  const fields = normalizeFields(draft);
  const settings = draft.connections.map(normalizeConnectionSettings);
  const status = draft.status ?? 'active';
  return ok({
    id: ids.operatorId,
    ...fields,
    status,
    connections: settings.map((s, i) => ({ ...s, id: ids.connectionIds[i] ?? '', authentication: null })),
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
}

/** A change and the names of what it changed; `changedFields` is empty when nothing changed. */
export interface OperatorChange {
  readonly operator: Operator;
  readonly changedFields: readonly string[];
}

const bump = (operator: Operator, changes: Partial<Operator>, now: Date): Operator => ({
  ...operator,
  ...changes,
  version: operator.version + 1,
  updatedAt: now,
});

const refuseDeleted = (operator: Operator): OpsErrorOf<'OPS.OPERATOR_DELETED'> | null =>
  operator.status === 'deleted' ? operatorDeleted(operator.id) : null;

const samePrefixes = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((p, i) => p === b[i]);

/** Applies a patch of operator-level fields (and active ⇄ suspended). Unchanged when nothing differs. */
export function updateOperator(
  operator: Operator,
  patch: OperatorPatch,
  now: Date,
): Result<OperatorChange, OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DELETED'>> {
  const deleted = refuseDeleted(operator);
  if (deleted) return err(deleted);
  const merged = normalizeFields({
    code: patch.code ?? operator.code,
    name: patch.name ?? operator.name,
    kind: patch.kind ?? operator.kind,
    mcc: patch.mcc === undefined ? operator.mcc : patch.mcc,
    mnc: patch.mnc === undefined ? operator.mnc : patch.mnc,
    country: patch.country ?? operator.country,
    prefixes: patch.prefixes ?? operator.prefixes,
  });
  const status = patch.status ?? operator.status;
  const issues = fieldIssues(merged, patch.prefixes ?? merged.prefixes);
  // Active and suspended move freely both ways (STATUS_TRANSITIONS); deletion is softDeleteOperator.
  if (status !== 'active' && status !== 'suspended') {
    issues.push(issue('status', 'must be active or suspended; delete the operator to delete it'));
  }
  if (issues.length > 0) return err(validationFailed(issues));

  const changedFields: string[] = [];
  for (const key of ['code', 'name', 'kind', 'mcc', 'mnc', 'country'] as const) {
    if (merged[key] !== operator[key]) changedFields.push(key);
  }
  if (!samePrefixes(merged.prefixes, operator.prefixes)) changedFields.push('prefixes');
  if (status !== operator.status) changedFields.push('status');
  if (changedFields.length === 0) return ok({ operator, changedFields });
  return ok({ operator: bump(operator, { ...merged, status }, now), changedFields });
}

const findConnection = (operator: Operator, connectionId: string): SmppConnection | undefined =>
  operator.connections.find((c) => c.id === connectionId);

/**
 * Adds a connection. `authentication` is the secret-store version of its bind password when
 * the password was stored first (docs/domain-model.md, "Credentials write path"), else null.
 */
export function addConnection(
  operator: Operator,
  connectionId: string,
  settings: ConnectionSettings,
  now: Date,
  authentication: ConnectionAuthentication | null = null,
): Result<Operator, OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_DUPLICATE'>> {
  const deleted = refuseDeleted(operator);
  if (deleted) return err(deleted);
  const normalized = normalizeConnectionSettings(settings);
  const issues = connectionSettingsIssues(normalized);
  if (operator.connections.length >= OPERATOR_LIMITS.maxConnections) {
    issues.push(issue('connections', `at most ${OPERATOR_LIMITS.maxConnections} connections`));
  }
  if (issues.length > 0) return err(validationFailed(issues));
  const clash = operator.connections.find((c) => connectionKey(c) === connectionKey(normalized));
  if (clash) {
    return err({
      code: 'OPS.CONNECTION_DUPLICATE',
      detail: `connection ${clash.id} already binds ${connectionKey(normalized)}`,
      operatorId: operator.id,
      existingConnectionId: clash.id,
    });
  }
  const connection: SmppConnection = { ...normalized, id: connectionId, authentication };
  return ok(bump(operator, { connections: [...operator.connections, connection] }, now));
}

/** Changes a connection's settings; unchanged (same version) when nothing differs. */
export function updateConnection(
  operator: Operator,
  connectionId: string,
  patch: Partial<ConnectionSettings>,
  now: Date,
): Result<
  OperatorChange,
  OpsErrorOf<'OPS.VALIDATION_FAILED' | 'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_NOT_FOUND' | 'OPS.CONNECTION_DUPLICATE'>
> {
  const deleted = refuseDeleted(operator);
  if (deleted) return err(deleted);
  const current = findConnection(operator, connectionId);
  if (!current) return err(connectionNotFound(operator.id, connectionId));
  const next = normalizeConnectionSettings({ ...current, ...patch });
  const issues = connectionSettingsIssues(next);
  if (issues.length > 0) return err(validationFailed(issues));
  const clash = operator.connections.find((c) => c.id !== connectionId && connectionKey(c) === connectionKey(next));
  if (clash) {
    return err({
      code: 'OPS.CONNECTION_DUPLICATE',
      detail: `connection ${clash.id} already binds ${connectionKey(next)}`,
      operatorId: operator.id,
      existingConnectionId: clash.id,
    });
  }
  const changed = changedSettings(current, next);
  if (changed.length === 0) return ok({ operator, changedFields: [] });
  const connections = operator.connections.map((c) => (c.id === connectionId ? { ...c, ...next } : c));
  return ok({
    operator: bump(operator, { connections }, now),
    changedFields: changed.map((k) => `connections[${connectionId}].${k}`),
  });
}

/** Removes a connection; the last one cannot go (delete the operator instead). */
export function removeConnection(
  operator: Operator,
  connectionId: string,
  now: Date,
): Result<Operator, OpsErrorOf<'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_NOT_FOUND' | 'OPS.LAST_CONNECTION'>> {
  const deleted = refuseDeleted(operator);
  if (deleted) return err(deleted);
  if (!findConnection(operator, connectionId)) return err(connectionNotFound(operator.id, connectionId));
  if (operator.connections.length === 1) {
    return err({
      code: 'OPS.LAST_CONNECTION',
      detail: `connection ${connectionId} is the only connection of operator ${operator.id}`,
      operatorId: operator.id,
      connectionId,
    });
  }
  return ok(bump(operator, { connections: operator.connections.filter((c) => c.id !== connectionId) }, now));
}

/** Records that the connection's bind password is now at secret-store version `version`. */
export function recordAuthentication(
  operator: Operator,
  connectionId: string,
  version: number,
  now: Date,
): Result<Operator, OpsErrorOf<'OPS.OPERATOR_DELETED' | 'OPS.CONNECTION_NOT_FOUND'>> {
  const deleted = refuseDeleted(operator);
  if (deleted) return err(deleted);
  if (!findConnection(operator, connectionId)) return err(connectionNotFound(operator.id, connectionId));
  const connections = operator.connections.map((c) =>
    c.id === connectionId ? { ...c, authentication: { version, changedAt: now } } : c,
  );
  return ok(bump(operator, { connections }, now));
}

/**
 * Soft delete: the operator keeps its row, connections and history, with status `deleted`.
 * Deleting a deleted operator changes nothing (`alreadyDeleted`), so a retried delete is harmless.
 */
export function softDeleteOperator(operator: Operator, now: Date): { readonly operator: Operator; readonly alreadyDeleted: boolean } {
  if (operator.status === 'deleted') return { operator, alreadyDeleted: true };
  return { operator: bump(operator, { status: 'deleted', deletedAt: now }, now), alreadyDeleted: false };
}
