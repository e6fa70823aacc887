/**
 * A checksum per table of the public schema, to prove two databases hold the same rows (a restored backup, a chaos
 * run against an uninterrupted one). Row order does not matter; every column's value does.
 */
import type { Queryable } from '../lib/db.ts';

export interface TableChecksum {
  table: string;
  rows: number;
  /** md5 over the md5 of each row's text form, sorted; the same for any two tables holding the same rows. */
  checksum: string;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Every ordinary or partitioned table of the public schema (partitions are counted through their parent), by name. */
export async function publicTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname COLLATE "C"`,
  );
  return rows.map((r) => r.name);
}

/**
 * Hashing each row first keeps the aggregate at 32 bytes a row whatever the row's width, and sorting the hashes
 * (not the row text) keeps the order independent of the database's collation.
 */
export async function tableChecksums(db: Queryable): Promise<TableChecksum[]> {
  const out: TableChecksum[] = [];
  for (const table of await publicTables(db)) {
    const { rows } = await db.query<{ rows: number; checksum: string }>(
      `SELECT count(*)::int AS rows,
              md5(coalesce(string_agg(h, '' ORDER BY h COLLATE "C"), '')) AS checksum
         FROM (SELECT md5(t::text) AS h FROM public.${quoteIdent(table)} t) hashed`,
    );
    out.push({ table, rows: rows[0]!.rows, checksum: rows[0]!.checksum });
  }
  return out;
}
