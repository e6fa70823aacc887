/**
 * The record of applied migrations (`schema_migrations`, written by lib/db.ts migrate), for tools that report the
 * schema's state.
 */
import type { Queryable } from '../lib/db.ts';

/** Names of the applied migrations, oldest first. */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
  return rows.map((r) => r.name);
}
