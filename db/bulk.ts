/**
 * Bulk writes keyed by natural keys, so reloads are no-ops: large batches are streamed with COPY into a temporary
 * staging table and merged with one INSERT ... SELECT ... ON CONFLICT; small ones use one unnest(...) statement.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from '../lib/db.ts';

// Below this many rows a staging table costs more than it saves.
const COPY_THRESHOLD = 2_000;
let stagingCounter = 0;

// A batch is one statement; bounded so a huge load does not build one giant array in memory.
const ROWS_PER_STATEMENT = 20_000;
// VALUES lists are the fallback for array-typed columns, which unnest would flatten.
const MAX_PARAMS = 30_000;

const columnTypes = new Map<string, Map<string, string>>();

async function typesOf(client: PoolClient, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    const { rows } = await client.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
      [table],
    );
    types = new Map(rows.map((r) => [r.name, r.type]));
    columnTypes.set(table, types);
  }
  return types;
}

/**
 * Inserts `rows` (one value per column, in `columns` order) with an optional ON CONFLICT clause.
 * @returns rows inserted or updated (what `rowCount` reports; an upsert that changes nothing counts 0).
 */
export async function insertRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  onConflict = '',
): Promise<number> {
  if (rows.length === 0) return 0;
  const types = await typesOf(client, table);
  const columnType = columns.map((c) => {
    const type = types.get(c);
    if (!type) throw new Error(`insertRows: ${table} has no column ${c}`);
    return type;
  });
  for (const row of rows) {
    if (row.length !== columns.length)
      throw new Error(`insertRows(${table}): a row has ${row.length} values for ${columns.length} columns`);
  }
  if (columnType.some((t) => t.endsWith('[]'))) return insertValues(client, table, columns, rows, onConflict);
  if (rows.length >= COPY_THRESHOLD) return insertByCopy(client, table, columns, rows, onConflict);
  let written = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const batch = rows.slice(start, start + ROWS_PER_STATEMENT);
    const arrays = columns.map((_, c) => batch.map((row) => row[c]));
    const unnest = columnType.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
    const result = await client.query(
      `INSERT INTO ${table} (${columns.join(',')}) SELECT * FROM unnest(${unnest}) ${onConflict}`,
      arrays,
    );
    written += result.rowCount ?? 0;
  }
  return written;
}

/** COPY's text format: tab-separated, `\N` for null, backslash escapes. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    text = value.toString();
  else if (value instanceof Date) text = value.toISOString();
  else text = JSON.stringify(value) ?? '';
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function insertByCopy(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  onConflict: string,
): Promise<number> {
  const staging = `afwd_stage_${process.pid}_${stagingCounter++}`;
  await client.query(`CREATE TEMP TABLE ${staging} AS SELECT ${columns.join(',')} FROM ${table} WITH NO DATA`);
  try {
    const lines = function* () {
      for (let i = 0; i < rows.length; i += 1000) {
        yield rows
          .slice(i, i + 1000)
          .map((row) => `${row.map(copyField).join('\t')}\n`)
          .join('');
      }
    };
    await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY ${staging} (${columns.join(',')}) FROM STDIN`)));
    const result = await client.query(
      `INSERT INTO ${table} (${columns.join(',')}) SELECT ${columns.join(',')} FROM ${staging} ${onConflict}`,
    );
    return result.rowCount ?? 0;
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${staging}`);
  }
}

async function insertValues(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  onConflict: string,
): Promise<number> {
  const perBatch = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  let written = 0;
  for (let start = 0; start < rows.length; start += perBatch) {
    const params: unknown[] = [];
    const tuples = rows
      .slice(start, start + perBatch)
      .map((row) => `(${row.map((value) => `$${params.push(value)}`).join(',')})`);
    const result = await client.query(
      `INSERT INTO ${table} (${columns.join(',')}) VALUES ${tuples.join(',')} ${onConflict}`,
      params,
    );
    written += result.rowCount ?? 0;
  }
  return written;
}

/**
 * `ON CONFLICT (key) DO UPDATE` that rewrites a row only when one of `compare` differs, so reloading unchanged data
 * writes nothing (and reports 0 rows). Columns outside `compare` (batch ids, timestamps) follow the data's changes.
 */
export function upsertClause(
  table: string,
  key: readonly string[],
  columns: readonly string[],
  compare?: readonly string[],
): string {
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  if (updates.length === 0) return `ON CONFLICT (${key.join(',')}) DO NOTHING`;
  const compared = (compare ?? columns).filter((c) => !key.includes(c));
  const changed = `(${compared.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${compared.map((c) => `EXCLUDED.${c}`).join(', ')})`;
  return `ON CONFLICT (${key.join(',')}) DO UPDATE SET ${updates.join(', ')} WHERE ${changed}`;
}
