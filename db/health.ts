/** The database's answer to a readiness probe: one trivial round trip, bounded by the pool's statement timeout. */
import type { Queryable } from '../lib/db.ts';

/** Resolves when the database answers; rejects with the driver's error otherwise. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}
