/**
 * Finds values in every table and column of the database: the tables and columns come from information_schema at
 * the time of the call, so a table added by any later migration is scanned too. Text-like columns (text, varchar,
 * char, json, jsonb, uuid, arrays) are searched case-insensitively for the value as a substring; bytea columns for
 * its UTF-8 bytes. Used by the erasure test: after an account is erased, its id, e-mail address, Stripe customer id
 * and Fantrax Secret ID must be nowhere.
 */
import type { Queryable } from '../lib/db.ts';

export interface Hit {
  table: string;
  column: string;
  /** Which of the needles (by its label). */
  needle: string;
  rows: number;
}

const TEXT_TYPES = new Set([
  'text',
  'character varying',
  'character',
  'json',
  'jsonb',
  'uuid',
  'ARRAY',
  'USER-DEFINED',
]);

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function scannedColumns(db: Queryable): Promise<{ table: string; column: string; type: string }[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`,
  );
  return rows
    .filter((r) => TEXT_TYPES.has(r.data_type) || r.data_type === 'bytea')
    .map((r) => ({ table: r.table_name, column: r.column_name, type: r.data_type }));
}

/** Every (table, column, needle) with at least one row holding the needle. */
export async function findValues(db: Queryable, needles: Record<string, string>): Promise<Hit[]> {
  const hits: Hit[] = [];
  const entries = Object.entries(needles).filter(([, value]) => value.length > 0);
  for (const { table, column, type } of await scannedColumns(db)) {
    for (const [label, value] of entries) {
      const where =
        type === 'bytea'
          ? `position(convert_to($1, 'UTF8') in ${ident(column)}) > 0`
          : `strpos(lower(${ident(column)}::text), lower($1)) > 0`;
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(table)} WHERE ${where}`, [
        value,
      ]);
      const n = rows[0]?.n ?? 0;
      if (n > 0) hits.push({ table, column, needle: label, rows: n });
    }
  }
  return hits;
}
