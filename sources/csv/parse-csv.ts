/**
 * A small RFC 4180 CSV reader for scouting exports: quoted fields, doubled quotes, commas and line breaks inside
 * quotes, CRLF or LF line ends, a leading UTF-8 byte-order mark. No dependency, no type coercion: every cell is text.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted field may carry it over several lines). */
  line: number;
  fields: string[];
}

/** The file itself is malformed (not one row of it): nothing after the error can be trusted. */
export class CsvParseError extends Error {
  override name = 'CsvParseError';
}

/**
 * Splits CSV text into records. Lines that are entirely empty are skipped (they are not rows). Lenient where the RFC
 * is silent in practice: a quote inside an unquoted field is kept literally, and text after a closing quote is
 * appended to the field, because spreadsheet exports produce both and the row should still reach validation.
 * @throws CsvParseError when a quoted field is never closed (it would swallow the rest of the file).
 */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false; // inside a quoted section
  let touched = false; // the current record has any content (so a blank line is not a record)
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (touched || fields.length > 1) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    touched = false;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      touched = true;
      i++;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      touched = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    touched = true;
    i++;
  }
  if (quoted)
    throw new CsvParseError(`CSV: a quoted field of the record starting on line ${recordLine} is never closed`);
  if (touched || field !== '' || fields.length > 0) endRecord();
  return records;
}
