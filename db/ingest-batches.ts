/**
 * Ingest batches (`ingest_batches`): one per fetch attempt, grade import or load, with the accounting of what it
 * fetched, loaded and quarantined. The rows of attempt fences are in db/attempt-fences.ts.
 */
import type { Queryable } from '../lib/db.ts';

/** Where every fetched row of a batch went: rows fetched = loaded + quarantined + duplicates merged. */
export interface BatchAccounting {
  rowsFetched: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  duplicatesMerged: number;
  /** Rows inserted or changed. */
  rowsNew: number;
  rowsFlagged: number;
}

/** What the load that finished `batchId` recorded as its result, or null when no load has finished it. */
export async function finishedLoadResult<T>(db: Queryable, batchId: number): Promise<T | null> {
  const { rows } = await db.query<{ load_result: T | null }>(
    'SELECT load_result FROM ingest_batches WHERE batch_id = $1 AND finished_at IS NOT NULL',
    [batchId],
  );
  return rows[0]?.load_result ?? null;
}

/**
 * Opens a batch outside the attempt fences (a grade import). A `runKey` already used returns its batch, so the
 * retries of one activity continue the same batch; null opens a new batch every time.
 */
export async function openBatch(
  db: Queryable,
  input: { source: string; season: number; runKey: string | null },
): Promise<number> {
  const { rows } = await db.query<{ batch_id: number }>(
    `INSERT INTO ingest_batches (source, season, run_key) VALUES ($1, $2, $3)
     ON CONFLICT (run_key) DO UPDATE SET started_at = ingest_batches.started_at RETURNING batch_id`,
    [input.source, input.season, input.runKey],
  );
  return rows[0]!.batch_id;
}

/** Records a fetch batch's request counts: requests that reached the source and responses reused from the landing zone. */
export async function recordFetchCounts(
  db: Queryable,
  input: { batchId: number; httpRequests: number; reused: number },
): Promise<void> {
  await db.query(
    'UPDATE ingest_batches SET requests = $2, http_requests = $2, responses_reused = $3 WHERE batch_id = $1',
    [input.batchId, input.httpRequests, input.reused],
  );
}

/**
 * Marks a batch loaded (finished_at now) with its accounting, the breaker's verdict (`quality`, JSON) and what the
 * load returned (`loadResult`), which a retry after a crash past the COMMIT reads back (`finishedLoadResult`).
 */
export async function recordLoaded(
  db: Queryable,
  batchId: number,
  counts: BatchAccounting,
  quality: unknown,
  loadResult: unknown,
): Promise<void> {
  await db.query(
    `UPDATE ingest_batches SET rows_fetched = $2, rows_loaded = $3, rows_quarantined = $4, duplicates_merged = $5,
       rows_new = $6, rows_flagged = $7, finished_at = now(), status = 'loaded', quality = $8, load_result = $9 WHERE batch_id = $1`,
    [
      batchId,
      counts.rowsFetched,
      counts.rowsLoaded,
      counts.rowsQuarantined,
      counts.duplicatesMerged,
      counts.rowsNew,
      counts.rowsFlagged,
      JSON.stringify(quality),
      JSON.stringify(loadResult),
    ],
  );
}

/**
 * Marks a batch 'breached' with the breaker's verdict. rows_loaded stays 0 (the lines that passed were not written
 * either) and finished_at NULL, so it counts as no successful ingest.
 */
export async function recordBreached(
  db: Queryable,
  batchId: number,
  counts: Pick<BatchAccounting, 'rowsFetched' | 'rowsQuarantined' | 'duplicatesMerged'>,
  quality: unknown,
): Promise<void> {
  await db.query(
    `UPDATE ingest_batches SET rows_fetched = $2, rows_loaded = 0, rows_quarantined = $3, duplicates_merged = $4, status = 'breached', quality = $5
     WHERE batch_id = $1`,
    [batchId, counts.rowsFetched, counts.rowsQuarantined, counts.duplicatesMerged, JSON.stringify(quality)],
  );
}

/** Finishes a batch that is not a season load (a grade import) with its accounting. */
export async function recordFinished(db: Queryable, batchId: number, counts: BatchAccounting): Promise<void> {
  await db.query(
    `UPDATE ingest_batches SET rows_fetched = $2, rows_loaded = $3, rows_quarantined = $4, duplicates_merged = $5,
      rows_new = $6, rows_flagged = $7, finished_at = now() WHERE batch_id = $1`,
    [
      batchId,
      counts.rowsFetched,
      counts.rowsLoaded,
      counts.rowsQuarantined,
      counts.duplicatesMerged,
      counts.rowsNew,
      counts.rowsFlagged,
    ],
  );
}

/** When each source last finished a batch successfully (breached and unfinished batches do not count). */
export async function lastSuccessBySource(db: Queryable): Promise<Map<string, Date>> {
  const { rows } = await db.query<{ source: string; last: Date }>(
    'SELECT source, max(finished_at) AS last FROM ingest_batches WHERE finished_at IS NOT NULL GROUP BY source',
  );
  return new Map(rows.map((r) => [r.source, r.last]));
}
