import { sha256Hex } from './operator-signature.js';

/**
 * The monthly regulator (ATRA) export, as data (docs/regulator-export.md): the reporting month, where its
 * files live in the object store, what each CSV line holds, and the manifest that names and hashes them.
 * Everything here is pure: the same month over the same audit trail gives the same bytes.
 */

/** Version of the file layout below; a change of columns or rules is a new version. */
export const REGULATOR_EXPORT_FORMAT_VERSION = 1;
export const REGULATOR_EXPORT_FORMAT = 'numbering-regulator-export';
/** Where the exports live in the object store: `<prefix>/YYYY-MM/<file>`. */
export const REGULATOR_EXPORT_PREFIX = 'numbering/regulator-exports';
/** Retention the checklist asks for (S3 Object Lock compliance mode, 7 years). */
export const REGULATOR_EXPORT_RETENTION_YEARS = 7;

export const REGULATOR_EXPORT_FILES = {
  inventory: 'inventory.csv',
  history: 'lease-history.csv',
  manifest: 'manifest.json',
  signature: 'manifest.json.sig',
} as const;

/** A reporting month: `YYYY-MM`, and the UTC instants it spans, `[from, to)`. */
export interface ExportMonth {
  readonly month: string;
  readonly from: Date;
  readonly to: Date;
}

const MONTH = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

/** The month `YYYY-MM` (2000-01 or later), or null when the text is not one. */
export function parseExportMonth(text: string): ExportMonth | null {
  const match = typeof text === 'string' ? MONTH.exec(text) : null;
  if (match === null) return null;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  if (year < 2000) return null;
  return { month: text, from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) };
}

/** The month before the one `now` falls in (UTC): what the scheduled job exports. */
export function previousExportMonth(now: Date): ExportMonth {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const text = `${start.getUTCFullYear().toString().padStart(4, '0')}-${(start.getUTCMonth() + 1).toString().padStart(2, '0')}`;
  const month = parseExportMonth(text);
  if (month === null) throw new RangeError(`no export month before ${now.toISOString()}`);
  return month;
}

/** `at` plus whole calendar years (UTC); 29 February rolls to 1 March. */
export function addYears(at: Date, years: number): Date {
  return new Date(
    Date.UTC(
      at.getUTCFullYear() + years,
      at.getUTCMonth(),
      at.getUTCDate(),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
}

/** Object key of a file of the month's export. */
export const exportObjectKey = (month: string, file: string): string => `${REGULATOR_EXPORT_PREFIX}/${month}/${file}`;

/**
 * The name of revision `n` of a data file: revision 1 is the name itself, later ones put `.r<n>` before the
 * extension (`inventory.r2.csv`). A later revision exists only when an object left by a crashed run under the
 * earlier name holds other bytes than the export computes now (docs/regulator-export.md, "Crash and resume").
 */
export function revisionName(file: string, revision: number): string {
  if (revision <= 1) return file;
  const dot = file.lastIndexOf('.');
  return dot <= 0 ? `${file}.r${revision}` : `${file.slice(0, dot)}.r${revision}${file.slice(dot)}`;
}

// ------------------------------------------------------------------------------------------ inventory file

export const INVENTORY_COLUMNS = [
  'number',
  'kind',
  'operator_code',
  'contract_ref',
  'block_ref',
  'pool_ref',
  'tier',
  'state',
  'tenant_id',
  'state_since',
] as const;

/** One number of the inventory as it stood at the end of the month. */
export interface InventoryExportLine {
  readonly number: string;
  readonly kind: string;
  readonly operatorCode: string;
  readonly contractRef: string;
  readonly blockRef: string;
  readonly poolRef: string;
  readonly tier: string;
  readonly state: string;
  /** The tenant holding it (reserved or assigned); null otherwise. */
  readonly tenantId: string | null;
  /** When it entered that state (its last audited change before the month ended, or when it was added). */
  readonly stateSince: Date;
}

export const inventoryCells = (line: InventoryExportLine): string[] => [
  line.number,
  line.kind,
  line.operatorCode,
  line.contractRef,
  line.blockRef,
  line.poolRef,
  line.tier,
  line.state,
  line.tenantId ?? '',
  line.stateSince.toISOString(),
];

// ------------------------------------------------------------------------------------------ history file

export const HISTORY_COLUMNS = [
  'occurred_at',
  'audit_seq',
  'event',
  'number',
  'kind',
  'operator_code',
  'tenant_id',
  'from_state',
  'to_state',
  'reason',
  'actor_role',
] as const;

/** One audited change of a number within the month, as the audit trail holds it. */
export interface HistoryExportEntry {
  readonly seq: number;
  /** ISO instant, as hashed into the audit chain. */
  readonly occurredAt: string;
  /** The audited action (`number.reserve`, `number.import`, …). */
  readonly action: string;
  readonly number: string;
  readonly kind: string;
  readonly operatorCode: string;
  /** The tenant the change concerned (holder, or previous holder for a quarantine or recall). */
  readonly tenantId: string | null;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly actorRole: string;
  /** Types of the domain events the change published, in order (`numbering.lease.released.v1`, …). */
  readonly eventTypes: readonly string[];
  /** The domain command of the change as audited (`{ action, reason?, … }`), or null. */
  readonly command: { readonly action?: unknown; readonly reason?: unknown } | null;
}

/** `numbering.lease.released.v1` → `lease.released`: the event type without the domain and version. */
export const exportEventName = (type: string): string => type.replace(/^numbering\./, '').replace(/\.v[0-9]+$/, '');

/** The reason code of a change: the command's own (recall, retirement, quarantine decision), or what a release or expiry means. */
export function exportReasonOf(entry: HistoryExportEntry): string {
  const command = entry.command;
  if (command === null) return '';
  if (typeof command.reason === 'string') return command.reason;
  if (command.action === 'release') return 'tenant_released';
  if (command.action === 'expire') return 'expired';
  return '';
}

/**
 * The history lines of one audited change: one per domain event it published (a release publishes
 * `lease.released` and `number.quarantined`), or one named after the action when it published none (an
 * import: `number.imported`).
 */
export function historyCells(entry: HistoryExportEntry): string[][] {
  const events =
    entry.eventTypes.length > 0 ? entry.eventTypes.map(exportEventName) : [entry.action === 'number.import' ? 'number.imported' : entry.action];
  const reason = exportReasonOf(entry);
  return events.map((event) => [
    entry.occurredAt,
    String(entry.seq),
    event,
    entry.number,
    entry.kind,
    entry.operatorCode,
    entry.tenantId ?? '',
    entry.fromState ?? '',
    entry.toState ?? '',
    reason,
    entry.actorRole,
  ]);
}

// ------------------------------------------------------------------------------------------ manifest

export interface ExportFileEntry {
  /** `inventory.csv`, `lease-history.csv` (or a later revision's name). */
  readonly name: string;
  readonly key: string;
  readonly contentType: string;
  /** Data rows, the header line not counted. */
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ExportManifest {
  readonly format: typeof REGULATOR_EXPORT_FORMAT;
  readonly formatVersion: number;
  readonly month: string;
  readonly period: { readonly from: string; readonly to: string };
  /** The inventory file shows the numbers as they stood at this instant (the end of the month). */
  readonly inventoryAsOf: string;
  readonly generatedAt: string;
  readonly files: readonly ExportFileEntry[];
  /** Objects left by an interrupted run that the export does not use (their bytes differ); kept under retention. */
  readonly superseded: readonly { readonly key: string; readonly sha256: string }[];
  readonly signature: { readonly file: string; readonly keyId: string; readonly algorithm: string };
}

export function buildExportManifest(input: {
  readonly month: ExportMonth;
  readonly generatedAt: Date;
  readonly files: readonly ExportFileEntry[];
  readonly superseded: readonly { readonly key: string; readonly sha256: string }[];
  readonly keyId: string;
  readonly algorithm: string;
}): ExportManifest {
  return {
    format: REGULATOR_EXPORT_FORMAT,
    formatVersion: REGULATOR_EXPORT_FORMAT_VERSION,
    month: input.month.month,
    period: { from: input.month.from.toISOString(), to: input.month.to.toISOString() },
    inventoryAsOf: input.month.to.toISOString(),
    generatedAt: input.generatedAt.toISOString(),
    files: input.files,
    superseded: input.superseded,
    signature: { file: REGULATOR_EXPORT_FILES.signature, keyId: input.keyId, algorithm: input.algorithm },
  };
}

/** The manifest's bytes: JSON, two-space indent, keys in the order above, a final LF, UTF-8. */
export const manifestBytes = (manifest: ExportManifest): Uint8Array => new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);

/** The stored manifest, or null when the bytes are not one of this format. */
export function parseExportManifest(bytes: Uint8Array): ExportManifest | null {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<ExportManifest> | null;
    if (value === null || typeof value !== 'object' || value.format !== REGULATOR_EXPORT_FORMAT) return null;
    if (typeof value.month !== 'string' || !Array.isArray(value.files) || typeof value.signature?.keyId !== 'string') return null;
    return value as ExportManifest;
  } catch {
    return null;
  }
}

/** The detached signature file: JSON naming the key (and its version) and the algorithm, the signature in base64. */
export interface ExportSignatureFile {
  readonly keyId: string;
  readonly algorithm: string;
  readonly signature: string;
}

/** The stored signature file, or null when the bytes are not one. */
export function parseSignatureFile(bytes: Uint8Array): ExportSignatureFile | null {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<ExportSignatureFile> | null;
    if (value === null || typeof value !== 'object') return null;
    const { keyId, algorithm, signature } = value;
    return typeof keyId === 'string' && typeof algorithm === 'string' && typeof signature === 'string' ? { keyId, algorithm, signature } : null;
  } catch {
    return null;
  }
}

export const signatureFileBytes = (signature: ExportSignatureFile): Uint8Array =>
  new TextEncoder().encode(`${JSON.stringify({ keyId: signature.keyId, algorithm: signature.algorithm, signature: signature.signature }, null, 2)}\n`);

export const fileEntryOf = (name: string, key: string, contentType: string, rows: number, bytes: Uint8Array): ExportFileEntry => ({
  name,
  key,
  contentType,
  rows,
  bytes: bytes.byteLength,
  sha256: sha256Hex(bytes),
});
