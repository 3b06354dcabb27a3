import { describe, expect, it } from 'vitest';
import { CsvDocument, csvCell, csvLine, neutraliseFormula } from '../../../src/index.js';

const text = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

describe('regulator export CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['+1+cmd|/c calc', "'+1+cmd|/c calc"],
    ['-2-3', "'-2-3"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
  ])('neutralises a formula trigger: %j', (cell, safe) => {
    expect(neutraliseFormula(cell)).toBe(safe);
  });

  it.each([['+93701234567'], ['-5'], ['12.5'], ['4040'], ['tenant-acme'], ['']])('leaves a plain value or signed number as it is: %j', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });

  it('quotes a cell with a comma, a double quote or a line break, doubling inner quotes (RFC 4180)', () => {
    expect([csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines'), csvCell('cr\rhere'), csvCell('plain')]).toEqual([
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\rhere"',
      'plain',
    ]);
  });

  it('neutralises before quoting, so an injected formula with a comma stays one inert cell', () => {
    expect(csvCell('=cmd|"/c calc",A1')).toBe(`"'=cmd|""/c calc"",A1"`);
  });

  it('ends every line with CRLF', () => {
    expect(csvLine(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });
});

describe('CsvDocument', () => {
  it('writes the header and the rows as UTF-8 without a byte-order mark and counts data rows only', () => {
    const csv = new CsvDocument(['number', 'tenant_id']);
    csv.add(['+93701234567', 'tenant-ü']);
    csv.add(['4040', '=evil()']);

    const bytes = csv.bytes();

    expect([text(bytes), csv.rowCount, bytes[0]]).toEqual(["number,tenant_id\r\n+93701234567,tenant-ü\r\n4040,'=evil()\r\n", 2, 0x6e]);
  });

  it('refuses a row whose width differs from the header', () => {
    const csv = new CsvDocument(['a', 'b']);

    expect(() => csv.add(['only one'])).toThrow(/1 cells; the header has 2/);
  });
});
