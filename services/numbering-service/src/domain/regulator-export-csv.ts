import { FORMULA_TRIGGERS } from './operator-csv.js';

/**
 * CSV as the regulator export writes it (docs/regulator-export.md): UTF-8 without a byte-order mark, one
 * header line, CRLF after every line (RFC 4180), a cell quoted only when it holds a comma, a double quote,
 * CR or LF (a double quote inside doubled), and every cell made safe from formula injection first.
 */
export const CSV_LINE_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;
/** A plain signed decimal (`+93701234567`, `-5`, `12.5`): a spreadsheet reads it as a number, never runs it. */
const PLAIN_NUMBER = /^[+-]?[0-9]+(?:\.[0-9]+)?$/;

/**
 * Neutralises a cell a spreadsheet would run as a formula (CSV injection, OWASP): a cell starting with
 * `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, unless the whole cell is a plain signed decimal (so an
 * E.164 MSISDN such as `+93701234567` stays as it is: digits after a sign cannot call anything).
 */
export function neutraliseFormula(value: string): string {
  const first = value.charAt(0);
  if (!(FORMULA_TRIGGERS as readonly string[]).includes(first)) return value;
  return PLAIN_NUMBER.test(value) ? value : `'${value}`;
}

/** One cell: formula-neutralised, then quoted when RFC 4180 needs it. */
export function csvCell(value: string): string {
  const safe = neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One line: the cells joined by commas, ending in CRLF. */
export const csvLine = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}${CSV_LINE_END}`;

/**
 * A CSV file built line by line: the header first, then rows of exactly the header's width. `rowCount`
 * counts data rows (not the header); `bytes()` is the UTF-8 encoding.
 */
export class CsvDocument {
  private readonly lines: string[];
  private rows = 0;

  constructor(private readonly columns: readonly string[]) {
    this.lines = [csvLine(columns)];
  }

  add(cells: readonly string[]): void {
    if (cells.length !== this.columns.length) {
      throw new Error(`a CSV row has ${cells.length} cells; the header has ${this.columns.length}`);
    }
    this.lines.push(csvLine(cells));
    this.rows += 1;
  }

  get rowCount(): number {
    return this.rows;
  }

  bytes(): Uint8Array {
    return new TextEncoder().encode(this.lines.join(''));
  }
}
