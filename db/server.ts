/**
 * What the backup commands ask of a PostgreSQL server: its major version (pg_dump must be at least as new) and
 * whether a database already holds objects (a restore refuses to mix into one unless told to clean it).
 */
import type { Queryable } from '../lib/db.ts';

export async function serverMajorVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ num: string }>(`SELECT current_setting('server_version_num') AS num`);
  return Math.floor(Number(rows[0]!.num) / 10_000);
}

/** Tables, views, sequences and the like outside the system schemas; 0 for a freshly created database. */
export async function userRelationCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
        AND n.nspname NOT LIKE 'pg\\_temp%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
  );
  return rows[0]!.n;
}

/**
 * Drops every schema but the system ones, with all they hold, and recreates an empty `public`: what a restore with
 * --clean starts from. (pg_restore's own --clean cannot drop a partition's inherited constraints.) Atomic: one DO block.
 */
export async function emptyDatabase(db: Queryable): Promise<void> {
  await db.query(
    `DO $$
     DECLARE s name;
     BEGIN
       FOR s IN SELECT nspname FROM pg_namespace
                 WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' LOOP
         EXECUTE format('DROP SCHEMA %I CASCADE', s);
       END LOOP;
       CREATE SCHEMA public;
     END $$`,
  );
}
