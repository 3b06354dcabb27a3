import { issue, nestIssues, type FieldIssue } from './field-issue.js';
import type { LegacyExport, LegacyOperatorRecord } from './legacy-export.js';
import { normalizeDraftFields, operatorDraftIssues, type Operator, type OperatorDraft, type OperatorPatch } from './operator.js';
import {
  bindPasswordIssues,
  changedSettings,
  connectionKey,
  normalizeConnectionSettings,
  type ConnectionSettings,
} from './smpp-connection.js';

/**
 * What importing a legacy export would do, operator by operator. Entries that create or change
 * something carry the bind passwords from the export in memory only: they are handed to the
 * secret store by the apply step and never appear in a plan view, a record or an event.
 */
export type LegacyPlanEntry = CreateEntry | UpdateEntry | UnchangedEntry | InvalidEntry;

export interface NewConnection {
  readonly settings: ConnectionSettings;
  readonly password: string | null;
}

export interface CreateEntry {
  readonly action: 'create';
  readonly code: string;
  readonly source: string;
  readonly draft: OperatorDraft;
  /** Password per connection of `draft`, same order; null when the export has none. */
  readonly passwords: readonly (string | null)[];
  readonly changes: readonly string[];
}

export interface UpdateEntry {
  readonly action: 'update';
  readonly code: string;
  readonly source: string;
  readonly operatorId: string;
  readonly expectedVersion: number;
  /** Operator-level fields to change; empty when only connections change. */
  readonly patch: OperatorPatch;
  readonly connectionsToAdd: readonly NewConnection[];
  readonly connectionUpdates: readonly { readonly connectionId: string; readonly patch: Partial<ConnectionSettings> }[];
  /** Existing connections without a stored password that the export has one for. */
  readonly passwordsToStore: readonly { readonly connectionId: string; readonly password: string }[];
  readonly changes: readonly string[];
}

export interface UnchangedEntry {
  readonly action: 'unchanged';
  readonly code: string;
  readonly source: string;
  readonly operatorId: string;
}

export interface InvalidEntry {
  readonly action: 'invalid';
  readonly code: string | null;
  readonly source: string;
  readonly issues: readonly FieldIssue[];
}

const draftOf = (record: LegacyOperatorRecord): OperatorDraft => ({
  code: record.code,
  name: record.name,
  kind: record.kind,
  mcc: record.mcc,
  mnc: record.mnc,
  country: record.country,
  ...(record.status === null ? {} : { status: record.status }),
  prefixes: record.prefixes,
  connections: record.connections.map((c) => c.settings),
});

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const mccMncKey = (mcc: string | null, mnc: string | null): string | null => (mcc === null || mnc === null ? null : `${mcc}-${mnc}`);

/** Issues of one record against the operator rules, as the API would report them. */
function recordIssues(record: LegacyOperatorRecord, forUpdate: boolean): FieldIssue[] {
  const issues = operatorDraftIssues(draftOf(record), { forUpdate });
  record.connections.forEach((c, i) => {
    if (c.password !== null) issues.push(...nestIssues(`connections[${i}]`, bindPasswordIssues(c.password, 'password')));
  });
  return issues;
}

/**
 * Plans an import: each record is matched by operator code to an operator that is not
 * deleted; unknown codes are created, known ones updated where they differ. Connections match
 * by host, port and system_id; the import adds and updates connections but never removes one
 * (nor rotates a password that is already stored), so running it twice changes nothing the
 * second time.
 */
export function planLegacyImport(exported: LegacyExport, existing: readonly Operator[]): LegacyPlanEntry[] {
  const live = existing.filter((o) => o.status !== 'deleted');
  const byCode = new Map(live.map((o) => [o.code, o]));
  const byMccMnc = new Map<string, Operator>();
  for (const o of live) {
    const key = mccMncKey(o.mcc, o.mnc);
    if (key) byMccMnc.set(key, o);
  }
  const codesInFile = new Map<string, string>();
  const mccMncInFile = new Map<string, string>();
  const entries: LegacyPlanEntry[] = exported.rejected.map((r) => ({ action: 'invalid', code: r.code, source: r.source, issues: r.issues }));

  for (const record of exported.records) {
    const fields = normalizeDraftFields(draftOf(record));
    const current = byCode.get(fields.code);
    const issues = recordIssues(record, current !== undefined);
    const seenAt = codesInFile.get(fields.code);
    if (seenAt !== undefined) issues.push(issue('code', `operator ${fields.code} also appears at ${seenAt}`));
    else codesInFile.set(fields.code, record.source);
    const key = mccMncKey(fields.mcc, fields.mnc);
    if (key) {
      const inFile = mccMncInFile.get(key);
      if (inFile !== undefined) issues.push(issue('mnc', `MCC/MNC ${key} also appears at ${inFile}`));
      else mccMncInFile.set(key, record.source);
      const holder = byMccMnc.get(key);
      if (holder && holder.code !== fields.code) issues.push(issue('mnc', `MCC/MNC ${key} belongs to operator ${holder.code} (${holder.id})`));
    }
    if (issues.length > 0) {
      entries.push({ action: 'invalid', code: fields.code, source: record.source, issues });
      continue;
    }
    entries.push(current ? updateEntry(record, current) : createEntry(record));
  }
  return entries;
}

function createEntry(record: LegacyOperatorRecord): CreateEntry {
  const changes = ['operator'];
  for (const c of record.connections) {
    const key = connectionKey(normalizeConnectionSettings(c.settings));
    changes.push(`connections[+${key}]`);
    if (c.password !== null) changes.push(`connections[+${key}].authentication`);
  }
  return {
    action: 'create',
    code: normalizeDraftFields(draftOf(record)).code,
    source: record.source,
    draft: draftOf(record),
    passwords: record.connections.map((c) => c.password),
    changes,
  };
}

function updateEntry(record: LegacyOperatorRecord, current: Operator): UpdateEntry | UnchangedEntry {
  const fields = normalizeDraftFields(draftOf(record));
  const patch: { -readonly [K in keyof OperatorPatch]: OperatorPatch[K] } = {};
  const changes: string[] = [];
  if (fields.name !== current.name) patch.name = fields.name;
  if (fields.kind !== current.kind) patch.kind = fields.kind;
  if (fields.mcc !== current.mcc) patch.mcc = fields.mcc;
  if (fields.mnc !== current.mnc) patch.mnc = fields.mnc;
  if (fields.country !== current.country) patch.country = fields.country;
  if (!sameList(fields.prefixes, current.prefixes)) patch.prefixes = fields.prefixes;
  if (record.status !== null && record.status !== current.status) patch.status = record.status;
  changes.push(...Object.keys(patch));

  const existingByKey = new Map(current.connections.map((c) => [connectionKey(c), c]));
  const connectionsToAdd: NewConnection[] = [];
  const connectionUpdates: { connectionId: string; patch: Partial<ConnectionSettings> }[] = [];
  const passwordsToStore: { connectionId: string; password: string }[] = [];
  for (const c of record.connections) {
    const settings = normalizeConnectionSettings(c.settings);
    const key = connectionKey(settings);
    const match = existingByKey.get(key);
    if (!match) {
      connectionsToAdd.push({ settings, password: c.password });
      changes.push(`connections[+${key}]`);
      if (c.password !== null) changes.push(`connections[+${key}].authentication`);
      continue;
    }
    const changed = changedSettings(match, settings);
    if (changed.length > 0) {
      connectionUpdates.push({ connectionId: match.id, patch: Object.fromEntries(changed.map((k) => [k, settings[k]])) });
      changes.push(...changed.map((k) => `connections[${match.id}].${k}`));
    }
    if (c.password !== null && match.authentication === null) {
      passwordsToStore.push({ connectionId: match.id, password: c.password });
      changes.push(`connections[${match.id}].authentication`);
    }
  }
  if (changes.length === 0) return { action: 'unchanged', code: current.code, source: record.source, operatorId: current.id };
  return {
    action: 'update',
    code: current.code,
    source: record.source,
    operatorId: current.id,
    expectedVersion: current.version,
    patch,
    connectionsToAdd,
    connectionUpdates,
    passwordsToStore,
    changes,
  };
}
