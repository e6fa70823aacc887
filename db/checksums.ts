/**
 * A checksum per table, to prove two databases hold the same rows (a restored backup, a chaos run against an
 * uninterrupted one). Row order does not matter; every compared column's value does. One primitive
 * (`checksumSelect`) hashes any relation, so callers that compare less than whole rows (the chaos suite's pipeline
 * checksums) hash the same way, and one `checksumDifferences` compares any two sets.
 */
import type { Queryable } from '../lib/db.ts';

export interface TableChecksum {
  table: string;
  rows: number;
  /** md5 over the md5 of each row's text form, sorted; the same for any two tables holding the same rows. */
  checksum: string;
}

export function quoteIdent(name: string): string {
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

/** The columns of a public table in their order, with their defaults (`nextval(...)`, `now()`, ...). */
export async function tableColumns(db: Queryable, table: string): Promise<{ name: string; default: string | null }[]> {
  const { rows } = await db.query<{ name: string; def: string | null }>(
    `SELECT column_name AS name, column_default AS def FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({ name: r.name, default: r.def }));
}

/**
 * A query of one row, `rows` and `checksum`, over `relation` (a table name, a CTE's or a parenthesized subquery).
 * Hashing each row first keeps the aggregate at 32 bytes a row whatever the row's width, and sorting the hashes
 * (not the row text) keeps the order independent of the database's collation.
 */
export function checksumSelect(relation: string): string {
  return `SELECT count(*)::int AS rows, md5(coalesce(string_agg(h, '' ORDER BY h COLLATE "C"), '')) AS checksum
    FROM (SELECT md5(c::text) AS h FROM ${relation} c) hashed`;
}

export interface ChecksumOptions {
  /** The tables to hash, in this order. @default every table of the public schema (`publicTables`) */
  tables?: readonly string[];
  /** Columns left out of every table that has them (run-specific values: insert times, sequence ids). @default none */
  exclude?: readonly string[];
}

export async function tableChecksums(db: Queryable, options: ChecksumOptions = {}): Promise<TableChecksum[]> {
  const out: TableChecksum[] = [];
  const exclude = new Set(options.exclude ?? []);
  for (const table of options.tables ?? (await publicTables(db))) {
    let relation = `public.${quoteIdent(table)}`;
    if (exclude.size) {
      const columns = await tableColumns(db, table);
      if (!columns.length) throw new Error(`tableChecksums: the public schema has no table ${JSON.stringify(table)}`);
      const kept = columns.filter((c) => !exclude.has(c.name)).map((c) => quoteIdent(c.name));
      relation = `(SELECT ${kept.join(', ') || 'NULL AS nothing'} FROM ${relation})`;
    }
    const { rows } = await db.query<{ rows: number; checksum: string }>(checksumSelect(relation));
    out.push({ table, rows: rows[0]!.rows, checksum: rows[0]!.checksum });
  }
  return out;
}

/** Tables whose row count or checksum differ between two sets, or that only one set has, as `table: a vs b`. */
export function checksumDifferences(a: readonly TableChecksum[], b: readonly TableChecksum[]): string[] {
  const others = new Map(b.map((y) => [y.table, y]));
  const diffs: string[] = [];
  for (const x of a) {
    const y = others.get(x.table);
    if (!y) diffs.push(`${x.table}: missing from the second set`);
    else if (x.rows !== y.rows || x.checksum !== y.checksum)
      diffs.push(`${x.table}: ${x.rows} rows ${x.checksum.slice(0, 8)} vs ${y.rows} rows ${y.checksum.slice(0, 8)}`);
    others.delete(x.table);
  }
  for (const table of others.keys()) diffs.push(`${table}: missing from the first set`);
  return diffs;
}
