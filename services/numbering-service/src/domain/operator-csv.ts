import { isReference, isVanityTier } from './catalog.js';
import type { VanityTier } from './catalog.js';
import { isNumberKind, parseCsvNumber } from './number-value.js';
import type { NumberValue } from './number-value.js';

/**
 * The operator inventory file, column by column, in this order, with this exact header line:
 *
 * `number,kind,operator_code,contract_ref,block_ref,pool_ref,tier`
 *
 * UTF-8 (an optional BOM is ignored), LF or CRLF line ends, RFC 4180 quoting within a line (no line breaks
 * inside a cell). `number` is digits only: an MSISDN is written without its `+` (`93701234567`), a short
 * code as is. `tier` may be empty, meaning `standard`. See docs/domain-model.md for the whole format.
 */
export const OPERATOR_CSV_COLUMNS = ['number', 'kind', 'operator_code', 'contract_ref', 'block_ref', 'pool_ref', 'tier'] as const;
export type OperatorCsvColumn = (typeof OPERATOR_CSV_COLUMNS)[number];

/** A cell starting with one of these would be run as a formula by a spreadsheet (CSV injection). */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;

export interface OperatorCsvRow {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  readonly number: NumberValue;
  readonly operatorCode: string;
  readonly contractRef: string;
  readonly blockRef: string;
  readonly poolRef: string;
  readonly tier: VanityTier;
}

/** One problem of one row; `column` is null when the problem is the whole line. */
export interface CsvRowError {
  readonly line: number;
  readonly column: OperatorCsvColumn | null;
  readonly message: string;
}

export type ParsedOperatorCsv =
  | { readonly kind: 'parsed'; readonly rows: readonly OperatorCsvRow[]; readonly errors: readonly CsvRowError[] }
  | { readonly kind: 'too_many_rows'; readonly rowCount: number };

type LineCells = { readonly cells: string[] } | { readonly problem: string };

/** Splits one line into cells, honouring RFC 4180 quotes (`""` inside quotes is one `"`). */
export function splitCsvLine(line: string): LineCells {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let cell = '';
      i += 1;
      for (;;) {
        if (i >= line.length) return { problem: 'a quoted cell is not closed' };
        const ch = line[i];
        if (ch === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        cell += ch;
        i += 1;
      }
      cells.push(cell);
      if (i < line.length && line[i] !== ',') return { problem: 'characters follow a closing quote' };
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      const cell = line.slice(i, end);
      if (cell.includes('"')) return { problem: 'a quote appears inside an unquoted cell' };
      cells.push(cell);
      i = end;
    }
    if (i >= line.length) return { cells };
    i += 1; // the comma
  }
}

/** The reason a cell is refused before its meaning is looked at, or null when it is clean. */
export function cellProblem(cell: string): string | null {
  const first = cell.charAt(0);
  if ((FORMULA_TRIGGERS as readonly string[]).includes(first)) {
    return `cell starts with ${JSON.stringify(first)}, which a spreadsheet would run as a formula (write an MSISDN without its +)`;
  }
  if (cell !== cell.trim()) return 'cell has leading or trailing whitespace';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(cell)) return 'cell contains a control character';
  return null;
}

const HEADER = OPERATOR_CSV_COLUMNS.join(',');

/**
 * Parses and checks every row of an operator file signed by `operatorCode`. It reports every problem of
 * every row (line and column) instead of stopping at the first; a file with any error must not be imported.
 * Checks that need the catalog or the inventory (contract, block, pool, existing numbers) come after.
 */
export function parseOperatorCsv(text: string, options: { readonly operatorCode: string; readonly maxRows: number }): ParsedOperatorCsv {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const dataLines = lines.length - 1;
  if (dataLines > options.maxRows) return { kind: 'too_many_rows', rowCount: dataLines };

  const errors: CsvRowError[] = [];
  if (lines[0] !== HEADER) {
    errors.push({ line: 1, column: null, message: `the header must be exactly ${HEADER}` });
    return { kind: 'parsed', rows: [], errors };
  }
  if (dataLines === 0) {
    errors.push({ line: 1, column: null, message: 'the file has no rows' });
    return { kind: 'parsed', rows: [], errors };
  }

  const rows: OperatorCsvRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (let index = 1; index < lines.length; index += 1) {
    const line = index + 1;
    const row = parseRow(lines[index] ?? '', line, options.operatorCode, errors);
    if (row === null) continue;
    const seen = firstLineOf.get(row.number.value);
    if (seen !== undefined) {
      errors.push({ line, column: 'number', message: `number repeats line ${seen}` });
      continue;
    }
    firstLineOf.set(row.number.value, line);
    rows.push(row);
  }
  return { kind: 'parsed', rows, errors };
}

function parseRow(text: string, line: number, operatorCode: string, errors: CsvRowError[]): OperatorCsvRow | null {
  if (text === '') {
    errors.push({ line, column: null, message: 'empty line' });
    return null;
  }
  const split = splitCsvLine(text);
  if ('problem' in split) {
    errors.push({ line, column: null, message: split.problem });
    return null;
  }
  if (split.cells.length !== OPERATOR_CSV_COLUMNS.length) {
    errors.push({ line, column: null, message: `expected ${OPERATOR_CSV_COLUMNS.length} cells, found ${split.cells.length}` });
    return null;
  }
  const cell = (column: OperatorCsvColumn): string => split.cells[OPERATOR_CSV_COLUMNS.indexOf(column)] ?? '';
  const before = errors.length;
  const fail = (column: OperatorCsvColumn, message: string): void => {
    errors.push({ line, column, message });
  };

  for (const column of OPERATOR_CSV_COLUMNS) {
    const problem = cellProblem(cell(column));
    if (problem !== null) fail(column, problem);
  }
  if (errors.length > before) return null;

  const kind = cell('kind');
  let number: NumberValue | null = null;
  if (!isNumberKind(kind)) fail('kind', 'kind must be msisdn or short_code');
  else {
    const parsed = parseCsvNumber(cell('number'), kind);
    if (parsed.ok) number = parsed.value;
    else fail('number', parsed.error);
  }
  if (cell('operator_code') !== operatorCode) fail('operator_code', `operator_code must be ${operatorCode}, the operator that signed the file`);
  for (const column of ['contract_ref', 'block_ref', 'pool_ref'] as const) {
    if (!isReference(cell(column))) fail(column, `${column} must be 1–64 letters, digits, . _ -`);
  }
  const rawTier = cell('tier') === '' ? 'standard' : cell('tier');
  let tier: VanityTier = 'standard';
  if (!isVanityTier(rawTier)) fail('tier', 'tier must be empty, standard, silver, gold or platinum');
  else if (kind === 'msisdn' && rawTier !== 'standard') fail('tier', 'vanity tiers apply to short codes; an MSISDN is standard');
  else tier = rawTier;

  if (errors.length > before || number === null) return null;
  return {
    line,
    number,
    operatorCode,
    contractRef: cell('contract_ref'),
    blockRef: cell('block_ref'),
    poolRef: cell('pool_ref'),
    tier,
  };
}
