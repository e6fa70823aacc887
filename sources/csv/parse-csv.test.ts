import { describe, expect, it } from 'vitest';
import { CsvParseError, parseCsv } from './parse-csv.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('reads plain rows with LF or CRLF line ends and no trailing newline', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fields('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const text = 'Name,Notes\n"Peña, José","He said ""plus"" arm"\n"Smith","two\r\nlines, here"\n';
    expect(fields(text)).toEqual([
      ['Name', 'Notes'],
      ['Peña, José', 'He said "plus" arm'],
      ['Smith', 'two\r\nlines, here'],
    ]);
  });

  it('numbers records by the line they start on', () => {
    const records = parseCsv('h1,h2\n"a\nb",c\n\nd,e\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('strips a UTF-8 byte-order mark', () => {
    expect(fields('\uFEFFName,Org\nA,B\n')[0]).toEqual(['Name', 'Org']);
  });

  it('keeps empty fields and skips blank lines', () => {
    expect(fields('a,,c\n\n,,\n"",x\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
      ['', 'x'],
    ]);
  });

  it('treats stray quotes leniently so the row still reaches validation', () => {
    expect(fields('ab"c,"d"e\n')).toEqual([['ab"c', 'de']]);
  });

  it('rejects a quoted field that is never closed, naming the line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvParseError);
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(/line 2/);
  });
});
