import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/domain/csv.js';
import { errorOf, valueOf } from '../../support/harness.js';

const fields = (text: string) => valueOf(parseCsv(text)).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits rows on LF and CRLF and fields on commas', () => {
    expect(fields('a,b\r\nc,d\ne,f')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(fields('"a,1","say ""hi""","two\nlines"\n')).toEqual([['a,1', 'say "hi"', 'two\nlines']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields('a,,c,\n')).toEqual([['a', '', 'c', '']]);
  });

  it('skips blank lines and a byte-order mark', () => {
    expect(fields('\uFEFFa\n\nb\n')).toEqual([['a'], ['b']]);
  });

  it('numbers each row by the line it starts on', () => {
    expect(valueOf(parseCsv('h\n"x\ny"\nz')).map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('reads an empty quoted field at the end of the input', () => {
    expect(fields('a,""')).toEqual([['a', '']]);
  });

  it('keeps a lone carriage return inside a field', () => {
    expect(fields('a\rb')).toEqual([['a\rb']]);
  });

  it('refuses an unclosed quote, naming its line', () => {
    expect(errorOf(parseCsv('a\n"b,c\n'))).toEqual({ line: 2, message: 'a quoted field is not closed' });
  });

  it('refuses a quote inside an unquoted field', () => {
    expect(errorOf(parseCsv('ab"c')).message).toBe('a quote may only start a field');
  });

  it('refuses text after a closing quote', () => {
    expect(errorOf(parseCsv('"ab"c')).message).toBe('text after a closing quote; expected a comma or a line end');
  });

  it('returns no rows for empty input', () => {
    expect(fields('')).toEqual([]);
  });
});
