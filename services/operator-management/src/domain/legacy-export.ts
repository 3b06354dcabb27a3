import { err, ok, type Result } from '@sms/kernel';
import { parseCsv, type CsvRow } from './csv.js';
import { issue, type FieldIssue } from './field-issue.js';
import type { OperatorKind } from './mcc-mnc.js';
import { normalizeOperatorCode } from './operator.js';
import type { BindMode, ConnectionSettings } from './smpp-connection.js';
import type { OpsErrorOf } from './operator-management-errors.js';

/**
 * Reading a legacy operator export (docs/legacy-import.md). This step only turns text into
 * typed records and reports cells it cannot read; the rules of an operator (code format,
 * MCC/MNC, bounds) are checked when the import is planned, by the same code as the API.
 */

export type LegacyFormat = 'csv' | 'json';

export interface LegacyConnection {
  /** Where it came from: `line 3` or `operators[1].connections[0]`. */
  readonly source: string;
  readonly settings: ConnectionSettings;
  /** The bind password, when the export has one; it goes to the secret store only. */
  readonly password: string | null;
}

export interface LegacyOperatorRecord {
  readonly source: string;
  readonly code: string;
  readonly name: string;
  readonly kind: OperatorKind;
  readonly mcc: string | null;
  readonly mnc: string | null;
  readonly country: string;
  /** Null when the export does not say; the import then leaves the status alone. */
  readonly status: 'active' | 'suspended' | null;
  readonly prefixes: readonly string[];
  readonly connections: readonly LegacyConnection[];
}

/** A record that could not be read; `code` when it was readable. */
export interface LegacyRejectedRecord {
  readonly source: string;
  readonly code: string | null;
  readonly issues: readonly FieldIssue[];
}

export interface LegacyExport {
  readonly records: readonly LegacyOperatorRecord[];
  readonly rejected: readonly LegacyRejectedRecord[];
}

export const LEGACY_DEFAULTS = {
  kind: 'mno' as OperatorKind,
  country: 'AF',
  systemType: '',
  tls: false,
  windowSize: 10,
  throughputLimit: 100,
} as const;

type Malformed = OpsErrorOf<'OPS.LEGACY_EXPORT_MALFORMED'>;

const malformed = (issues: FieldIssue[]): Malformed => ({
  code: 'OPS.LEGACY_EXPORT_MALFORMED',
  detail: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
  issues,
});

const BIND_MODE_ALIASES: Readonly<Record<string, BindMode>> = {
  transceiver: 'transceiver',
  trx: 'transceiver',
  transmitter: 'transmitter',
  tx: 'transmitter',
  receiver: 'receiver',
  rx: 'receiver',
};
const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, yes: true, '1': true, false: false, no: false, '0': false };
const KINDS: readonly OperatorKind[] = ['mno', 'aggregator'];

/** Guesses the format from the first non-blank character: `{` or `[` is JSON, anything else CSV. */
export const detectLegacyFormat = (content: string): LegacyFormat => (/^\s*[[{]/.test(content.replace(/^\uFEFF/, '')) ? 'json' : 'csv');

/** Reads a legacy export. A file that cannot be read at all is an error; a bad record is rejected alone. */
export function parseLegacyExport(content: string, format: LegacyFormat = detectLegacyFormat(content)): Result<LegacyExport, Malformed> {
  return format === 'json' ? parseJsonExport(content) : parseCsvExport(content);
}

// ---------------------------------------------------------------- CSV

const CSV_REQUIRED = ['code', 'name', 'mcc', 'mnc', 'host', 'port', 'system_id', 'bind_mode'] as const;
const CSV_OPTIONAL = ['kind', 'country', 'status', 'prefixes', 'system_type', 'tls', 'window_size', 'throughput_limit', 'password'] as const;
type CsvColumn = (typeof CSV_REQUIRED)[number] | (typeof CSV_OPTIONAL)[number];
const CSV_COLUMNS: readonly string[] = [...CSV_REQUIRED, ...CSV_OPTIONAL];
/** Columns that describe the operator rather than one connection; later rows may leave them blank. */
const OPERATOR_COLUMNS = ['name', 'kind', 'mcc', 'mnc', 'country', 'status', 'prefixes'] as const;

function parseCsvExport(content: string): Result<LegacyExport, Malformed> {
  const parsed = parseCsv(content);
  if (!parsed.ok) return err(malformed([issue(`line ${parsed.error.line}`, parsed.error.message)]));
  const [header, ...rows] = parsed.value;
  if (!header) return err(malformed([issue('line 1', 'the file is empty; expected a header row')]));
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const headerIssues: FieldIssue[] = [];
  columns.forEach((c, i) => {
    if (!CSV_COLUMNS.includes(c)) headerIssues.push(issue(`line 1`, `unknown column "${c}" (column ${i + 1})`));
    else if (columns.indexOf(c) !== i) headerIssues.push(issue(`line 1`, `column "${c}" appears twice`));
  });
  for (const required of CSV_REQUIRED) {
    if (!columns.includes(required)) headerIssues.push(issue('line 1', `missing column "${required}"`));
  }
  if (headerIssues.length > 0) return err(malformed(headerIssues));

  const groups = new Map<string, CsvRow[]>();
  const rejected: LegacyRejectedRecord[] = [];
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      rejected.push({
        source: `line ${row.line}`,
        code: null,
        issues: [issue(`line ${row.line}`, `has ${row.fields.length} fields, the header has ${columns.length}`)],
      });
      continue;
    }
    const code = normalizeOperatorCode(cellOf(columns, row, 'code'));
    groups.set(code, [...(groups.get(code) ?? []), row]);
  }
  const records: LegacyOperatorRecord[] = [];
  for (const [code, group] of groups) {
    const result = csvRecord(code, group, columns);
    if (result.ok) records.push(result.value);
    else rejected.push(result.error);
  }
  return ok({ records, rejected });
}

const cellOf = (columns: readonly string[], row: CsvRow, column: CsvColumn): string => {
  const index = columns.indexOf(column);
  return index < 0 ? '' : (row.fields[index] ?? '').trim();
};

function csvRecord(code: string, rows: readonly CsvRow[], columns: readonly string[]): Result<LegacyOperatorRecord, LegacyRejectedRecord> {
  const issues: FieldIssue[] = [];
  const first = rows[0] as CsvRow;
  const source = rows.length === 1 ? `line ${first.line}` : `lines ${rows.map((r) => r.line).join(', ')}`;
  // Operator-level cells come from the first row; a later row may repeat them or leave them blank.
  for (const row of rows.slice(1)) {
    for (const column of OPERATOR_COLUMNS) {
      const value = cellOf(columns, row, column);
      if (value !== '' && value !== cellOf(columns, first, column)) {
        issues.push(issue(`line ${row.line}.${column}`, `differs from line ${first.line} for operator ${code}`));
      }
    }
  }
  const at = (column: string): string => `line ${first.line}.${column}`;
  const kindCell = cellOf(columns, first, 'kind').toLowerCase();
  const kind = kindCell === '' ? LEGACY_DEFAULTS.kind : (KINDS.find((k) => k === kindCell) ?? null);
  if (kind === null) issues.push(issue(at('kind'), `must be ${KINDS.join(' or ')}`));
  const statusCell = cellOf(columns, first, 'status').toLowerCase();
  const status = statusCell === '' ? null : statusCell === 'active' || statusCell === 'suspended' ? statusCell : undefined;
  if (status === undefined) issues.push(issue(at('status'), 'must be active, suspended or blank'));
  const prefixCell = cellOf(columns, first, 'prefixes');
  const prefixes = prefixCell === '' ? [] : prefixCell.split(';').map((p) => p.trim()).filter((p) => p !== '');

  const connections: LegacyConnection[] = rows.map((row) => {
    const cell = (column: CsvColumn): string => cellOf(columns, row, column);
    const where = (column: string): string => `line ${row.line}.${column}`;
    const port = integerCell(cell('port'), null, where('port'), issues);
    const bindMode = BIND_MODE_ALIASES[cell('bind_mode').toLowerCase()];
    if (!bindMode) issues.push(issue(where('bind_mode'), 'must be transceiver, transmitter or receiver (or trx, tx, rx)'));
    const tlsCell = cell('tls').toLowerCase();
    const tls = tlsCell === '' ? LEGACY_DEFAULTS.tls : BOOLEANS[tlsCell];
    if (tls === undefined) issues.push(issue(where('tls'), 'must be true, false, yes, no, 1, 0 or blank'));
    const password = cell('password');
    return {
      source: `line ${row.line}`,
      settings: {
        host: cell('host'),
        port,
        systemId: cell('system_id'),
        systemType: cell('system_type'),
        bindMode: bindMode ?? 'transceiver',
        tls: tls ?? false,
        windowSize: integerCell(cell('window_size'), LEGACY_DEFAULTS.windowSize, where('window_size'), issues),
        throughputLimit: integerCell(cell('throughput_limit'), LEGACY_DEFAULTS.throughputLimit, where('throughput_limit'), issues),
      },
      password: password === '' ? null : password,
    };
  });
  if (issues.length > 0) return err({ source, code, issues });
  const countryCell = cellOf(columns, first, 'country');
  return ok({
    source,
    code,
    name: cellOf(columns, first, 'name'),
    kind: kind ?? LEGACY_DEFAULTS.kind,
    mcc: cellOf(columns, first, 'mcc') || null,
    mnc: cellOf(columns, first, 'mnc') || null,
    country: countryCell === '' ? LEGACY_DEFAULTS.country : countryCell,
    status: status ?? null,
    prefixes,
    connections,
  });
}

function integerCell(value: string, fallback: number | null, field: string, issues: FieldIssue[]): number {
  if (value === '' && fallback !== null) return fallback;
  if (!/^[0-9]+$/.test(value)) {
    issues.push(issue(field, 'must be a whole number'));
    return 0;
  }
  return Number(value);
}

// ---------------------------------------------------------------- JSON

const JSON_OPERATOR_KEYS = ['code', 'name', 'kind', 'mcc', 'mnc', 'country', 'status', 'prefixes', 'connections'];
const JSON_CONNECTION_KEYS = ['host', 'port', 'systemId', 'systemType', 'bindMode', 'tls', 'windowSize', 'throughputLimit', 'password'];

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJsonExport(content: string): Result<LegacyExport, Malformed> {
  let document: unknown;
  try {
    document = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (e) {
    return err(malformed([issue('$', `not valid JSON: ${(e as Error).message}`)]));
  }
  const list = Array.isArray(document) ? document : isObject(document) ? document['operators'] : undefined;
  if (!Array.isArray(list)) return err(malformed([issue('$', 'expected an array of operators or an object with an "operators" array')]));
  const records: LegacyOperatorRecord[] = [];
  const rejected: LegacyRejectedRecord[] = [];
  list.forEach((entry: unknown, index) => {
    const source = `operators[${index}]`;
    const result = jsonRecord(entry, source);
    if (result.ok) records.push(result.value);
    else rejected.push(result.error);
  });
  return ok({ records, rejected });
}

/** Reads typed fields of one JSON object, collecting issues instead of throwing. */
class JsonReader {
  constructor(
    private readonly object: JsonObject,
    private readonly path: string,
    readonly issues: FieldIssue[],
  ) {}

  unknownKeys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.object)) {
      if (!allowed.includes(key)) this.issues.push(issue(`${this.path}.${key}`, 'is not a field of the legacy format'));
    }
  }

  string(key: string, fallback?: string): string {
    const value = this.object[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string') {
      this.issues.push(issue(`${this.path}.${key}`, 'must be a string'));
      return '';
    }
    return value.trim();
  }

  nullableString(key: string, hint = ''): string | null {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') {
      this.issues.push(issue(`${this.path}.${key}`, `must be a string${hint} or null`));
      return null;
    }
    return value.trim() === '' ? null : value.trim();
  }

  integer(key: string, fallback?: number): number {
    const value = this.object[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.issues.push(issue(`${this.path}.${key}`, 'must be a whole number'));
      return 0;
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.object[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.issues.push(issue(`${this.path}.${key}`, 'must be true or false'));
      return fallback;
    }
    return value;
  }

  array(key: string): unknown[] {
    const value = this.object[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.issues.push(issue(`${this.path}.${key}`, 'must be an array'));
      return [];
    }
    return value;
  }
}

function jsonRecord(entry: unknown, source: string): Result<LegacyOperatorRecord, LegacyRejectedRecord> {
  if (!isObject(entry)) return err({ source, code: null, issues: [issue(source, 'must be an object')] });
  const issues: FieldIssue[] = [];
  const r = new JsonReader(entry, source, issues);
  r.unknownKeys(JSON_OPERATOR_KEYS);
  const code = normalizeOperatorCode(r.string('code'));
  const kind = r.string('kind', LEGACY_DEFAULTS.kind).toLowerCase();
  if (!KINDS.some((k) => k === kind)) issues.push(issue(`${source}.kind`, `must be ${KINDS.join(' or ')}`));
  const status = entry['status'] === undefined || entry['status'] === null ? null : r.string('status').toLowerCase();
  if (status !== null && status !== 'active' && status !== 'suspended') issues.push(issue(`${source}.status`, 'must be active, suspended or absent'));
  const prefixes = r.array('prefixes').map((p, i) => {
    if (typeof p !== 'string') issues.push(issue(`${source}.prefixes[${i}]`, 'must be a string of digits'));
    return String(p).trim();
  });
  const connections = r.array('connections').map((c, i): LegacyConnection => {
    const path = `${source}.connections[${i}]`;
    if (!isObject(c)) {
      issues.push(issue(path, 'must be an object'));
      return { source: path, settings: placeholderSettings, password: null };
    }
    const cr = new JsonReader(c, path, issues);
    cr.unknownKeys(JSON_CONNECTION_KEYS);
    const bindModeText = cr.string('bindMode').toLowerCase();
    const bindMode = BIND_MODE_ALIASES[bindModeText];
    if (!bindMode) issues.push(issue(`${path}.bindMode`, 'must be transceiver, transmitter or receiver (or trx, tx, rx)'));
    return {
      source: path,
      settings: {
        host: cr.string('host'),
        port: cr.integer('port'),
        systemId: cr.string('systemId'),
        systemType: cr.string('systemType', LEGACY_DEFAULTS.systemType),
        bindMode: bindMode ?? 'transceiver',
        tls: cr.boolean('tls', LEGACY_DEFAULTS.tls),
        windowSize: cr.integer('windowSize', LEGACY_DEFAULTS.windowSize),
        throughputLimit: cr.integer('throughputLimit', LEGACY_DEFAULTS.throughputLimit),
      },
      password: cr.nullableString('password'),
    };
  });
  const record: LegacyOperatorRecord = {
    source,
    code,
    name: r.string('name'),
    kind: kind === 'aggregator' ? 'aggregator' : 'mno',
    mcc: r.nullableString('mcc', ' (leading zeros matter)'),
    mnc: r.nullableString('mnc', ' (leading zeros matter)'),
    country: r.string('country', LEGACY_DEFAULTS.country),
    status: status === 'suspended' ? 'suspended' : status === 'active' ? 'active' : null,
    prefixes,
    connections,
  };
  return issues.length > 0 ? err({ source, code: code === '' ? null : code, issues }) : ok(record);
}

const placeholderSettings: ConnectionSettings = {
  host: '',
  port: 0,
  systemId: '',
  systemType: '',
  bindMode: 'transceiver',
  tls: false,
  windowSize: LEGACY_DEFAULTS.windowSize,
  throughputLimit: LEGACY_DEFAULTS.throughputLimit,
};
