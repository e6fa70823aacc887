/**
 * Scouting CSV rows → canonical grade records (name, organization, position, age, FV, ETA, 20-80 present/future tool
 * grades, Baseball America rank and year). A row that cannot be read becomes a reject with its reason and raw cells.
 */
import { parseCsv, type CsvRecord } from './parse-csv.ts';
import { bindHeader, MappingError, REQUIRED_FIELDS, type BoundColumns, type ColumnMapping } from './mapping.ts';

export interface ToolGrade {
  /** Null when the export gives one grade only (taken as the future grade). */
  present: number | null;
  future: number;
}

export interface GradeRecord {
  line: number;
  /** Header → cell, exactly as read: what quarantine and audits show. */
  raw: Record<string, string>;
  name: string;
  organization: string;
  position: string | null;
  age: number | null;
  /** FanGraphs FV; "45+" is 45 with `futureValuePlus` set (the column is a 20-80 integer). */
  futureValue: number | null;
  futureValuePlus: boolean;
  eta: number | null;
  tools: Record<string, ToolGrade>;
  rank: number | null;
  year: number | null;
  externalId: string | null;
}

export interface GradeReject {
  line: number;
  reason: string;
  raw: Record<string, string>;
}

export interface ParsedGrades {
  header: string[];
  records: GradeRecord[];
  rejects: GradeReject[];
  /** Optional default columns the export lacks. */
  missingOptional: string[];
  /** Data rows read (records + rejects); blank lines and all-empty rows are not rows. */
  rows: number;
}

const GRADE = /^(\d{2})$/;

/** One 20-80 grade; throws a reason. */
function scoutGrade(label: string, text: string): number {
  const m = GRADE.exec(text.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n >= 20 && n <= 80)) throw new Error(`${label} "${text}" is not a grade on the 20-80 scale`);
  return n;
}

/** "45/55" → present 45, future 55; "55" → future 55 only. Present above future is allowed (speed declines). */
export function parseToolGrade(label: string, text: string): ToolGrade {
  const parts = text.split('/');
  if (parts.length === 1) return { present: null, future: scoutGrade(label, parts[0]!) };
  if (parts.length !== 2) throw new Error(`${label} "${text}" is not a "present/future" grade`);
  return { present: scoutGrade(`${label} present`, parts[0]!), future: scoutGrade(`${label} future`, parts[1]!) };
}

function parseFutureValue(text: string): { value: number; plus: boolean } {
  const m = /^(\d{2})(\+?)$/.exec(text.trim());
  const value = m ? Number(m[1]) : Number.NaN;
  if (!m || !(value >= 20 && value <= 80)) throw new Error(`FV "${text}" is not a 20-80 future value (like 45 or 45+)`);
  return { value, plus: m[2] === '+' };
}

function parseAge(text: string): number {
  const age = /^\d{1,2}(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(age >= 14 && age <= 45)) throw new Error(`Age "${text}" is not an age between 14 and 45`);
  return age;
}

function parseYear(label: string, text: string, season: number, maxAhead: number): number {
  const year = /^\d{4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(year >= season - 1 && year <= season + maxAhead)) {
    throw new Error(`${label} "${text}" is not a year from ${season - 1} to ${season + maxAhead}`);
  }
  return year;
}

function parseRank(text: string): number {
  const rank = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(rank >= 1)) throw new Error(`Rank "${text}" is not a positive whole number`);
  return rank;
}

/** Reads one data record against the bound header; throws a reason string as an Error. */
function readRecord(
  rec: CsvRecord,
  header: string[],
  mapping: ColumnMapping,
  cols: BoundColumns,
  season: number,
): Omit<GradeRecord, 'raw' | 'line'> {
  if (rec.fields.length !== header.length) {
    throw new Error(`row has ${rec.fields.length} fields but the header has ${header.length}`);
  }
  const cell = (index: number | undefined): string => (index === undefined ? '' : (rec.fields[index] ?? '').trim());
  const empty = REQUIRED_FIELDS[mapping.source].filter((f) => cell(cols.fields[f]) === '');
  if (empty.length)
    throw new Error(`empty required ${empty.map((f) => `${mapping.fields[f]?.header ?? f} (${f})`).join(', ')}`);
  const optional = <T>(index: number | undefined, read: (text: string) => T): T | null => {
    const text = cell(index);
    return text === '' ? null : read(text);
  };
  // Organization is required because the natural key is source + season + name + organization (NULLs never conflict).
  const name = cell(cols.fields.name).replace(/\s+/g, ' ');
  const organization = cell(cols.fields.organization);
  const fv = optional(cols.fields.futureValue, parseFutureValue);
  const rank = optional(cols.fields.rank, parseRank);
  const year = optional(cols.fields.year, (t) => {
    if (t !== String(season)) throw new Error(`Year "${t}" does not match the import's season ${season}`);
    return season;
  });
  const tools: Record<string, ToolGrade> = {};
  for (const t of cols.tools) {
    const text = cell(t.index);
    if (text !== '') tools[t.tool] = parseToolGrade(t.header, text);
  }
  return {
    name,
    organization,
    position: optional(cols.fields.position, (t) => t.toUpperCase()),
    age: optional(cols.fields.age, parseAge),
    futureValue: fv?.value ?? null,
    futureValuePlus: fv?.plus ?? false,
    eta: optional(cols.fields.eta, (t) => parseYear('ETA', t, season, 15)),
    tools,
    rank,
    year,
    externalId: optional(cols.fields.externalId, (t) => t),
  };
}

/**
 * Parses a whole export. File-level problems (no header, missing required columns) throw MappingError or
 * CsvParseError; row-level problems become rejects, so every data row ends up in `records` or `rejects`.
 */
export function parseGradesCsv(text: string, mapping: ColumnMapping, season: number): ParsedGrades {
  const [headerRecord, ...body] = parseCsv(text);
  if (!headerRecord) throw new MappingError('CSV is empty: no header row');
  const header = headerRecord.fields.map((h) => h.trim());
  const cols = bindHeader(mapping, header);
  const out: ParsedGrades = { header, records: [], rejects: [], missingOptional: cols.missingOptional, rows: 0 };
  for (const rec of body) {
    // Spreadsheets pad exports with rows of empty cells (",,,,"): they hold nothing to load or to quarantine.
    if (rec.fields.every((f) => f.trim() === '')) continue;
    out.rows++;
    const raw: Record<string, string> = {};
    rec.fields.forEach((value, i) => {
      const key = header[i] ?? '';
      raw[key === '' || key in raw ? `${key || 'column'} #${i + 1}` : key] = value;
    });
    try {
      out.records.push({ line: rec.line, raw, ...readRecord(rec, header, mapping, cols, season) });
    } catch (error) {
      out.rejects.push({ line: rec.line, reason: (error as Error).message, raw });
    }
  }
  return out;
}
