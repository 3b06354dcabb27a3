import { describe, expect, it } from 'vitest';
import { parseOperatorCsv } from '../../../src/index.js';
import { HEADER } from '../../support/operator-files.js';

const parse = (text: string, maxRows = 1000) => parseOperatorCsv(text, { operatorCode: 'ROSHAN', maxRows });
const file = (...rows: string[]): string => [HEADER, ...rows].join('\n') + '\n';
const errorsOf = (text: string) => {
  const parsed = parse(text);
  return parsed.kind === 'parsed' ? parsed.errors : [];
};

describe('operator CSV parsing', () => {
  it('reads a good row, adding the plus to the MSISDN and defaulting the tier', () => {
    const parsed = parse(file('93701234567,msisdn,ROSHAN,CTR-1,BLK-070,general,'));

    expect(parsed).toEqual({
      kind: 'parsed',
      errors: [],
      rows: [
        {
          line: 2,
          number: { kind: 'msisdn', value: '+93701234567' },
          operatorCode: 'ROSHAN',
          contractRef: 'CTR-1',
          blockRef: 'BLK-070',
          poolRef: 'general',
          tier: 'standard',
        },
      ],
    });
  });

  it('reads CRLF line ends, a byte-order mark and quoted cells', () => {
    const text = `\uFEFF${HEADER}\r\n"4040",short_code,ROSHAN,"CTR-1",BLK-SC,vanity,gold\r\n`;

    const parsed = parse(text);

    expect(parsed.kind === 'parsed' && parsed.rows.map((r) => [r.number.value, r.tier])).toEqual([['4040', 'gold']]);
  });

  it('refuses a file with the wrong header and reads nothing else', () => {
    expect(errorsOf('number,kind\n93701234567,msisdn\n')).toEqual([{ line: 1, column: null, message: expect.stringContaining('header') as string }]);
  });

  it('refuses a file with no rows', () => {
    expect(errorsOf(`${HEADER}\n`)).toEqual([{ line: 1, column: null, message: 'the file has no rows' }]);
  });

  it('refuses a file with more rows than allowed', () => {
    expect(parse(file('1000,short_code,ROSHAN,C,B,P,', '1001,short_code,ROSHAN,C,B,P,'), 1)).toEqual({ kind: 'too_many_rows', rowCount: 2 });
  });

  it('reports every bad row by its line number, not only the first', () => {
    const errors = errorsOf(
      file(
        '93701234567,msisdn,ROSHAN,CTR-1,BLK,general,',
        '93701234568,landline,ROSHAN,CTR-1,BLK,general,',
        '93701234569,msisdn,ROSHAN,CTR-1,BLK,general,',
        '12,short_code,ROSHAN,CTR-1,BLK,general,',
      ),
    );

    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'kind'],
      [5, 'number'],
    ]);
  });

  it.each([
    ['=', '=1+2'],
    ['+', '+93701234567'],
    ['-', '-1+1'],
    ['@', '@SUM(A1)'],
  ])('refuses a cell starting with %s as formula injection', (_trigger, cell) => {
    const errors = errorsOf(file(`${cell},msisdn,ROSHAN,CTR-1,BLK,general,`));

    expect(errors).toEqual([{ line: 2, column: 'number', message: expect.stringContaining('formula') as string }]);
  });

  it('refuses a quoted cell starting with a formula character', () => {
    expect(errorsOf(file('93701234567,msisdn,ROSHAN,CTR-1,BLK,"=cmd|\' /C calc\'!A0",'))[0]).toMatchObject({ line: 2, column: 'pool_ref' });
  });

  it('refuses a cell starting with a tab', () => {
    expect(errorsOf(file('93701234567,msisdn,ROSHAN,\t=1,BLK,general,'))[0]).toMatchObject({ line: 2, column: 'contract_ref' });
  });

  it('refuses a cell starting with a carriage return', () => {
    expect(errorsOf(file('93701234567,msisdn,ROSHAN,CTR-1,"\r=1",general,'))[0]).toMatchObject({
      line: 2,
      column: 'block_ref',
      message: expect.stringContaining('formula') as string,
    });
  });

  it('refuses a cell padded with spaces, which a spreadsheet might still read as a formula', () => {
    expect(errorsOf(file(' =1+1,msisdn,ROSHAN,CTR-1,BLK,general,'))[0]).toMatchObject({ line: 2, column: 'number', message: expect.stringContaining('whitespace') as string });
  });

  it('refuses a control character inside a cell', () => {
    expect(errorsOf(file('93701234567,msisdn,ROSHAN,CTR\u00071,BLK,general,'))[0]).toMatchObject({ column: 'contract_ref', message: expect.stringContaining('control') as string });
  });

  it('refuses a row with too few cells', () => {
    expect(errorsOf(file('93701234567,msisdn,ROSHAN'))).toEqual([{ line: 2, column: null, message: 'expected 7 cells, found 3' }]);
  });

  it('refuses an empty line in the middle of the file', () => {
    expect(errorsOf(file('', '4040,short_code,ROSHAN,C,B,P,'))).toEqual([{ line: 2, column: null, message: 'empty line' }]);
  });

  it('refuses an unclosed quote', () => {
    expect(errorsOf(file('"4040,short_code,ROSHAN,C,B,P,'))[0]).toMatchObject({ line: 2, message: 'a quoted cell is not closed' });
  });

  it('refuses characters after a closing quote', () => {
    expect(errorsOf(file('"4040"x,short_code,ROSHAN,C,B,P,'))[0]).toMatchObject({ line: 2, message: 'characters follow a closing quote' });
  });

  it('refuses a stray quote inside an unquoted cell', () => {
    expect(errorsOf(file('40"40,short_code,ROSHAN,C,B,P,'))[0]).toMatchObject({ line: 2, message: 'a quote appears inside an unquoted cell' });
  });

  it('reads a doubled quote inside a quoted cell as one quote, then judges the cell', () => {
    expect(errorsOf(file('4040,short_code,ROSHAN,"C""1",B,P,'))[0]).toMatchObject({ line: 2, column: 'contract_ref' });
  });

  it('refuses a row naming an operator other than the one that signed the file', () => {
    expect(errorsOf(file('93701234567,msisdn,AWCC,CTR-1,BLK,general,'))).toEqual([
      { line: 2, column: 'operator_code', message: expect.stringContaining('ROSHAN') as string },
    ]);
  });

  it('refuses an unknown tier', () => {
    expect(errorsOf(file('4040,short_code,ROSHAN,C,B,P,diamond'))[0]).toMatchObject({ column: 'tier' });
  });

  it('refuses a vanity tier on an MSISDN', () => {
    expect(errorsOf(file('93701234567,msisdn,ROSHAN,C,B,P,gold'))[0]).toMatchObject({ column: 'tier', message: expect.stringContaining('short codes') as string });
  });

  it('refuses a malformed reference', () => {
    expect(errorsOf(file('4040,short_code,ROSHAN,C,B/1,P,'))[0]).toMatchObject({ column: 'block_ref' });
  });

  it('refuses a number that repeats an earlier line, naming that line', () => {
    expect(errorsOf(file('4040,short_code,ROSHAN,C,B,P,', '4041,short_code,ROSHAN,C,B,P,', '4040,short_code,ROSHAN,C,B,P,'))).toEqual([
      { line: 4, column: 'number', message: 'number repeats line 2' },
    ]);
  });

  it('reports several problems of one row', () => {
    expect(errorsOf(file('4040,short_code,AWCC,C,B,P,diamond')).map((e) => e.column)).toEqual(['operator_code', 'tier']);
  });
});
