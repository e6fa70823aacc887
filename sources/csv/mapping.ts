/**
 * Column mappings of scouting exports: which header holds each canonical field, with FanGraphs and Baseball America
 * defaults that a JSON override can rename, so a differently-named export still imports without code changes.
 */
import { readFile } from 'node:fs/promises';

export type GradeSource = 'fangraphs' | 'baseball_america';

export const FIELDS = [
  'name',
  'organization',
  'position',
  'age',
  'futureValue',
  'eta',
  'rank',
  'year',
  'externalId',
] as const;
export type Field = (typeof FIELDS)[number];

export interface ColumnSpec {
  header: string;
  /** A required column missing from the header stops the import; an optional default one is just absent. */
  required: boolean;
}

export interface ColumnMapping {
  source: GradeSource;
  fields: Partial<Record<Field, ColumnSpec>>;
  /** Tool key (hit, fastball, ...) → column holding its "present/future" grade. */
  tools: Record<string, ColumnSpec>;
}

/**
 * A JSON override: canonical field → header (null: do not import that column), plus `tools` the same way.
 * @example {"name": "Player Name", "organization": "Team", "tools": {"cutter": "CT", "command": null}}
 */
export type MappingOverride = Partial<Record<Field, string | null>> & { tools?: Record<string, string | null> };

/** The mapping or the header is wrong for the whole file; the message names the offending keys or columns. */
export class MappingError extends Error {
  override name = 'MappingError';
}

export const SOURCE_LABEL: Record<GradeSource, string> = {
  fangraphs: 'FanGraphs',
  baseball_america: 'Baseball America',
};

/** Fields every row must have: their columns must exist and their cells must not be empty. */
export const REQUIRED_FIELDS: Record<GradeSource, readonly Field[]> = {
  fangraphs: ['name', 'organization', 'futureValue'],
  baseball_america: ['rank', 'name', 'organization'],
};

const DEFAULT_HEADERS: Record<GradeSource, { fields: Partial<Record<Field, string>>; tools: Record<string, string> }> =
  {
    fangraphs: {
      fields: {
        name: 'Name',
        organization: 'Org',
        position: 'Pos',
        age: 'Age',
        futureValue: 'FV',
        eta: 'ETA',
        externalId: 'PlayerId',
      },
      tools: {
        hit: 'Hit',
        gamePower: 'Game',
        rawPower: 'Raw',
        speed: 'Spd',
        field: 'Fld',
        arm: 'Arm',
        fastball: 'FB',
        slider: 'SL',
        curveball: 'CB',
        changeup: 'CH',
        command: 'CMD',
      },
    },
    baseball_america: {
      fields: { rank: 'Rank', name: 'Player', organization: 'Org', position: 'Pos', year: 'Year' },
      tools: {},
    },
  };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const headerValue = (v: unknown): v is string | null => v === null || (typeof v === 'string' && v.trim() !== '');

/**
 * The default mapping of `source`, with `override` applied. Columns the override names are required (the caller said
 * they exist); unknown keys and non-string headers are errors naming them.
 */
export function resolveMapping(source: GradeSource, override?: unknown): ColumnMapping {
  const defaults = DEFAULT_HEADERS[source];
  const required = new Set<Field>(REQUIRED_FIELDS[source]);
  const mapping: ColumnMapping = { source, fields: {}, tools: {} };
  for (const [field, header] of Object.entries(defaults.fields) as [Field, string][]) {
    mapping.fields[field] = { header, required: required.has(field) };
  }
  for (const [tool, header] of Object.entries(defaults.tools)) mapping.tools[tool] = { header, required: false };
  if (override === undefined || override === null) return mapping;
  if (!isRecord(override)) throw new MappingError('column mapping must be a JSON object of field → header name');

  const problems: string[] = [];
  for (const [key, value] of Object.entries(override)) {
    if (key === 'tools') continue;
    if (!(FIELDS as readonly string[]).includes(key)) {
      problems.push(`unknown field "${key}" (known: ${FIELDS.join(', ')}, tools)`);
    } else if (!headerValue(value)) {
      problems.push(`field "${key}" must map to a header name or null, got ${JSON.stringify(value)}`);
    } else if (value === null) {
      if (required.has(key as Field))
        problems.push(`field "${key}" is required for ${SOURCE_LABEL[source]} and cannot be unmapped`);
      else delete mapping.fields[key as Field];
    } else {
      mapping.fields[key as Field] = { header: value.trim(), required: true };
    }
  }
  const tools = override.tools;
  if (tools !== undefined && !isRecord(tools)) problems.push('"tools" must be an object of tool → header name');
  for (const [tool, value] of Object.entries(isRecord(tools) ? tools : {})) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(tool)) problems.push(`tool key "${tool}" must be a plain identifier`);
    else if (!headerValue(value))
      problems.push(`tool "${tool}" must map to a header name or null, got ${JSON.stringify(value)}`);
    else if (value === null) delete mapping.tools[tool];
    else mapping.tools[tool] = { header: value.trim(), required: true };
  }
  if (problems.length) throw new MappingError(`invalid column mapping: ${problems.join('; ')}`);
  return mapping;
}

/** Reads a JSON mapping file; a parse error names the file. */
export async function readMappingFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MappingError(`mapping file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export interface BoundColumns {
  /** Column index of each mapped field present in the header. */
  fields: Partial<Record<Field, number>>;
  tools: { tool: string; index: number; header: string }[];
  /** Optional default columns the header lacks (reported, not an error). */
  missingOptional: string[];
}

const headerKey = (h: string) => h.trim().toLowerCase();

/**
 * Finds each mapped column in a CSV header (case- and surrounding-space-insensitive).
 * @throws MappingError naming every missing required column, or a mapped header that appears twice.
 */
export function bindHeader(mapping: ColumnMapping, header: readonly string[]): BoundColumns {
  const positions = new Map<string, number[]>();
  header.forEach((h, i) => positions.set(headerKey(h), [...(positions.get(headerKey(h)) ?? []), i]));
  const missing: string[] = [];
  const duplicated: string[] = [];
  const missingOptional: string[] = [];
  const find = (label: string, spec: ColumnSpec): number | undefined => {
    const at = positions.get(headerKey(spec.header));
    if (at === undefined) (spec.required ? missing : missingOptional).push(`"${spec.header}" (${label})`);
    else if (at.length > 1)
      duplicated.push(`"${spec.header}" (${label}, columns ${at.map((i) => i + 1).join(' and ')})`);
    return at?.[0];
  };
  const bound: BoundColumns = { fields: {}, tools: [], missingOptional };
  for (const [field, spec] of Object.entries(mapping.fields) as [Field, ColumnSpec][]) {
    const index = find(field, spec);
    if (index !== undefined) bound.fields[field] = index;
  }
  for (const [tool, spec] of Object.entries(mapping.tools)) {
    const index = find(`tool ${tool}`, spec);
    if (index !== undefined) bound.tools.push({ tool, index, header: spec.header });
  }
  const problems: string[] = [];
  if (missing.length) problems.push(`missing required columns: ${missing.join(', ')}`);
  if (duplicated.length) problems.push(`columns named more than once: ${duplicated.join(', ')}`);
  if (problems.length) {
    throw new MappingError(
      `${SOURCE_LABEL[mapping.source]} CSV ${problems.join('; ')}. The header has: ${header.join(', ')}. ` +
        'Pass a column mapping (JSON: canonical field → header name) to import a differently-named export.',
    );
  }
  return bound;
}
