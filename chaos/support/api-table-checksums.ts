/**
 * Row counts and content checksums of tables, for comparing two databases loaded from the same data: each row as
 * JSON without the columns that differ between runs by nature (load times, batch and serial ids), the rows sorted,
 * hashed with md5. Two tables with equal checksums hold the same rows.
 */
import type { Queryable } from '../../lib/db.ts';

/** Columns that name a run rather than the data: when a row was written, and ids drawn from sequences. */
export const VOLATILE_COLUMNS = [
  'updated_at', 'loaded_at', 'created_at', 'fetched_at', 'received_at', 'detected_at', 'resolved_at', 'flagged_at',
  'batch_id', 'quarantine_id', 'flag_id', 'version_id',
] as const;

export interface TableChecksum {
  table: string;
  rows: number;
  md5: string;
}

/** Only plain lower-case identifiers: the table name goes into the query as is. */
function assertIdentifier(table: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${JSON.stringify(table)}`);
}

export async function tableChecksum(db: Queryable, table: string): Promise<TableChecksum> {
  assertIdentifier(table);
  const minus = VOLATILE_COLUMNS.map((c) => ` - '${c}'`).join('');
  const { rows } = await db.query<{ n: string; md5: string | null }>(
    `SELECT count(*) AS n, md5(string_agg(r, E'\\n' ORDER BY r)) AS md5
       FROM (SELECT (to_jsonb(t)${minus})::text AS r FROM ${table} t) rows`,
  );
  return { table, rows: Number(rows[0]?.n ?? 0), md5: rows[0]?.md5 ?? 'empty' };
}

export async function tableChecksums(db: Queryable, tables: readonly string[]): Promise<TableChecksum[]> {
  const out: TableChecksum[] = [];
  for (const table of tables) out.push(await tableChecksum(db, table));
  return out;
}

/** Tables whose count or checksum differ between two sets (same tables, same order), as `table: a vs b`. */
export function checksumDifferences(a: readonly TableChecksum[], b: readonly TableChecksum[]): string[] {
  return a.flatMap((x, i) => {
    const y = b[i];
    if (!y || y.table !== x.table) return [`${x.table}: missing from the other set`];
    return x.rows === y.rows && x.md5 === y.md5 ? [] : [`${x.table}: ${x.rows} rows ${x.md5.slice(0, 8)} vs ${y.rows} rows ${y.md5.slice(0, 8)}`];
  });
}
