/**
 * Batched multi-row INSERT ... ON CONFLICT, the one way activities write many rows.
 */
import type { PoolClient } from '../lib/db.ts';

// PostgreSQL allows 65,535 parameters per statement; stay well below it.
const MAX_PARAMS = 30_000;

export async function insertRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  onConflict = '',
): Promise<number> {
  const perBatch = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  let written = 0;
  for (let start = 0; start < rows.length; start += perBatch) {
    const batch = rows.slice(start, start + perBatch);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      if (row.length !== columns.length) throw new Error(`insertRows(${table}): a row has ${row.length} values for ${columns.length} columns`);
      const marks = row.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${marks.join(',')})`;
    });
    const result = await client.query(
      `INSERT INTO ${table} (${columns.join(',')}) VALUES ${tuples.join(',')} ${onConflict}`,
      params,
    );
    written += result.rowCount ?? 0;
  }
  return written;
}

/** `ON CONFLICT (key) DO UPDATE SET` every other column to the incoming value. */
export function upsertClause(key: readonly string[], columns: readonly string[]): string {
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  return updates.length
    ? `ON CONFLICT (${key.join(',')}) DO UPDATE SET ${updates.join(', ')}`
    : `ON CONFLICT (${key.join(',')}) DO NOTHING`;
}
