import { err, ok, type Result } from '@sms/kernel';

/** One CSV record and the line it starts on (1-based; a quoted field may span lines). */
export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvError {
  readonly line: number;
  readonly message: string;
}

/**
 * Parses RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote inside is
 * doubled), CRLF or LF line ends, an optional UTF-8 byte-order mark. Blank lines are skipped.
 */
export function parseCsv(text: string): Result<CsvRow[], CsvError> {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let afterQuote = false;
  let i = 0;

  const endRow = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };

  while (i < input.length) {
    const ch = input[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (ch === '\n' || (ch === '\r' && input[i + 1] === '\n')) {
      endRow();
      if (ch === '\r') i += 1;
      line += 1;
      rowLine = line;
    } else if (ch === '"') {
      if (field.length > 0 || afterQuote) return err({ line, message: 'a quote may only start a field' });
      quoted = true;
    } else {
      if (afterQuote) return err({ line, message: 'text after a closing quote; expected a comma or a line end' });
      field += ch;
    }
    i += 1;
  }
  if (quoted) return err({ line: rowLine, message: 'a quoted field is not closed' });
  if (field.length > 0 || fields.length > 0 || afterQuote) endRow();
  return ok(rows);
}
